package org.odahu.pack.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.odahu.pack.gppi.AnswerTooLargeException;
import org.odahu.pack.gppi.ModelPredictionException;
import org.odahu.pack.gppi.PredictionTimeoutException;
import org.odahu.pack.gppi.WorkerCrashedException;

/** What clients see of a failure, and what the server log keeps of it. */
class ErrorMappingTest {
  private final Logger logger = Logger.getLogger(ErrorMapping.class.getName());
  private final List<LogRecord> logged = new ArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          logged.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void captureLogs() {
    logger.addHandler(capture);
  }

  @AfterEach
  void stopCapturing() {
    logger.removeHandler(capture);
  }

  private String loggedText() {
    StringBuilder text = new StringBuilder();
    for (LogRecord record : logged) {
      text.append(new java.util.logging.SimpleFormatter().formatMessage(record)).append('\n');
    }
    return text.toString();
  }

  @Test
  void anAnswerOverTheLimitIsNotBlamedOnTheModelAndSaysWhichOptionSetsTheLimit() {
    ApiError error =
        ErrorMapping.toError(
            new CompletionException(new AnswerTooLargeException(120_026_908, 67_108_864)), "r-1");
    assertEquals(500, error.status());
    assertEquals(
        "The model's answer is 120026908 bytes, more than the 67108864 bytes a worker may send:"
            + " the server's --max-body-size sets that limit (twice it, at least 64 MiB)",
        error.message());
    assertTrue(loggedText().contains("Request r-1: The model's answer is 120026908"), loggedText());
    assertTrue(!loggedText().contains("the model raised"), loggedText());
  }

  @Test
  void aModelExceptionIsAnsweredWithItsMessageAndLoggedWithItsTraceback() {
    String traceback =
        "Traceback (most recent call last):\n"
            + "  File \"entrypoint.py\", line 9, in predict_on_matrix\n"
            + "Exception: Expected error\n";
    ApiError error =
        ErrorMapping.toError(
            new CompletionException(
                new ModelPredictionException("Expected error", "Exception", traceback)),
            "req-7");
    assertEquals(
        new ApiError(500, "Exception during prediction: Expected error", Map.of(), true), error);
    assertEquals(Level.WARNING, logged.get(0).getLevel());
    String text = loggedText();
    assertTrue(text.contains("req-7"), text);
    assertTrue(text.contains(traceback), text);
  }

  @Test
  void aModelExceptionInInfoDoesNotSayPrediction() {
    ApiError error =
        ErrorMapping.toError(
            new CompletionException(
                new ModelPredictionException("no schema", "RuntimeError", "", "info()")),
            "req-9");
    assertEquals(new ApiError(500, "Exception during info(): no schema", Map.of(), true), error);
  }

  @Test
  void aWorkerCrashIsAnsweredGenericallyAndItsDetailsAreLogged() {
    String details =
        "worker-1 (pid 4242) died during the prediction: exit code 3; last output: oops";
    ApiError error = ErrorMapping.toError(new WorkerCrashedException(details), "req-8");
    assertEquals(ApiError.of(500, "Model worker died during the prediction"), error);
    String text = loggedText();
    assertTrue(text.contains("req-8"), text);
    assertTrue(text.contains(details), text);
  }

  @Test
  void aTimeoutIsLoggedWithItsRequestIdBesideTheKilledWorkersLine() {
    String message = "Prediction timed out after 1 s; worker-1 was killed and is being replaced";
    ApiError error = ErrorMapping.toError(new PredictionTimeoutException(message), "req-7");
    assertEquals(ApiError.of(504, message), error);
    String text = loggedText();
    assertTrue(text.contains("req-7") && text.contains(message), text);
  }
}
