package org.odahu.pack.gppi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.odahu.pack.gppi.BackendTests.await;
import static org.odahu.pack.gppi.BackendTests.options;
import static org.odahu.pack.gppi.BackendTests.prediction;
import static org.odahu.pack.gppi.BackendTests.utf8;
import static org.odahu.pack.gppi.BackendTests.with;
import static org.odahu.pack.gppi.BackendTests.workerProcesses;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.gppi.testing.CapturedLog;
import org.odahu.pack.gppi.testing.Inputs;

/** What the model writes: its answers, through its own JSON encoder, and its prints, as logs. */
class ModelOutputIT {
  private static final String MODEL_LOG = "org.odahu.pack.gppi.model";
  private static final Duration LOG_WAIT = Duration.ofSeconds(30);

  @Test
  void printsReachTheLogTaggedWithTheWorker() throws Exception {
    try (CapturedLog log = CapturedLog.of(MODEL_LOG)) {
      with(
          Examples.testModel("unruly"),
          options().workers(2).build(),
          backend -> {
            Set<Long> pids =
                workerProcesses().stream().map(ProcessHandle::pid).collect(Collectors.toSet());
            assertEquals(2, pids.size());
            for (int worker = 1; worker <= 2; worker++) {
              String init =
                  awaitLogged(log, "[worker-" + worker + " pid ", "unruly: init on stdout");
              long pid = Long.parseLong(init.replaceAll("^\\[worker-\\d pid (\\d+)\\].*", "$1"));
              assertTrue(pids.contains(pid), init + " names none of " + pids);
            }
            prediction(backend, "print");
            awaitLogged(log, "[worker-", "] unruly: a line on stdout");
            awaitLogged(log, "[worker-", "] unruly: a line on stderr");
          });
    }
  }

  private static String awaitLogged(CapturedLog log, String start, String end) {
    try {
      return log.await(m -> m.startsWith(start) && m.endsWith(end), LOG_WAIT);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void anOutputFloodIsCutToTheLogLimitCountedAndTheWorkerKeepsAnswering() throws Exception {
    // 50 MB on stdout and 50 MB on stderr, without a newline: 100 MB in the log before.
    int flood = 50 << 20;
    AtomicLong droppedBytes = new AtomicLong();
    BackendListener listener =
        new BackendListener() {
          @Override
          public void onModelOutputDropped(String worker, long lines, long bytes) {
            droppedBytes.addAndGet(bytes);
          }
        };
    try (CapturedLog log = CapturedLog.of(MODEL_LOG)) {
      with(
          Examples.testModel("unruly"),
          options().listener(listener).build(),
          backend -> {
            String answer =
                utf8(
                    await(BackendTests.send(backend, "{\"data\":[[\"flood\"," + flood + "]]}"))
                        .predictionJson());
            assertEquals("[[\"flood\"," + flood + "]]", answer);
            assertEquals("[[\"ok\",0]]", prediction(backend, "ok"));
            assertEquals(0, backend.stats().restarts());
            // No line follows the flood, and the worker lives on: the count is still logged.
            awaitLogged(log, "[worker-1 pid ", " of model output over the log limit");
          });
      awaitLogged(log, "[worker-1 pid ", "dropping it until it slows down");
      List<String> pieces =
          log.messages().stream()
              .filter(m -> m.startsWith("[worker-1 pid "))
              .map(m -> m.substring(m.indexOf("] ") + 2))
              .filter(text -> text.matches("[xy]+(unruly: flood done)?|unruly: flood done"))
              .toList();
      long logged = pieces.stream().mapToLong(String::length).sum();
      for (String piece : pieces) {
        assertTrue(piece.length() <= 64 * 1024, "logged " + piece.length());
      }
      // A burst of 1 MiB and 256 KiB/s while the flood lasts; every other byte is counted.
      assertTrue(logged <= 3 << 20, "logged " + logged + " bytes of the flood");
      assertEquals(2L * flood + "unruly: flood done".length(), logged + droppedBytes.get());
    }
  }

  @Test
  void theModelsOwnEncoderWritesBatchCliAnswers() throws Exception {
    with(
        Examples.testModel("encoder"),
        options().build(),
        backend -> {
          PredictionInput input = PredictionInput.fromJson(null, "[[1]]");
          // The batch CLI (results.json) path: the model's get_output_json_serializer() encoder,
          // with the default encoder still writing what it leaves alone (a numpy integer).
          Prediction cli = await(backend.predict(input, OutputStyle.PYTHON));
          assertEquals("[[\"EUR 1.10\", \"02.01.2026 03:04\", 7]]", utf8(cli.predictionJson()));
          assertEquals("[\"price\", \"at\", \"count\"]", utf8(cli.columnsJson()));
          // The server path does not use it.
          assertEquals(
              "{\"prediction\":[[1.1,\"2026-01-02T03:04:00\",7]],"
                  + "\"columns\":[\"price\",\"at\",\"count\"]}",
              Inputs.answer(await(backend.predict(input, OutputStyle.COMPACT))));
        });
  }

  /** ODAHU's CLI wrote results.json with json.dump (ASCII only); its server with orjson (UTF-8). */
  @Test
  void nonAsciiIsEscapedInBatchCliAnswersOnly() throws Exception {
    with(
        Examples.artifact("echo"),
        options().build(),
        backend -> {
          PredictionInput input = PredictionInput.fromJson("[\"é\"]", "[[\"qualité 😀\"]]");
          Prediction cli = await(backend.predict(input, OutputStyle.PYTHON));
          assertEquals("[[\"qualit\\u00e9 \\ud83d\\ude00\"]]", utf8(cli.predictionJson()));
          assertEquals("[\"\\u00e9\"]", utf8(cli.columnsJson()));
          Prediction server = await(backend.predict(input, OutputStyle.COMPACT));
          assertEquals("[[\"qualité 😀\"]]", utf8(server.predictionJson()));
        });
  }

  @Test
  void anEncoderInstanceIsTakenForItsClass() throws Exception {
    with(
        Examples.testModel("encoder"),
        options().environment(Map.of("ODAHU_TEST_SERIALIZER", "instance")).build(),
        backend -> {
          PredictionInput input = PredictionInput.fromJson(null, "[[1]]");
          Prediction cli = await(backend.predict(input, OutputStyle.PYTHON));
          assertEquals("[[\"EUR 1.10\", \"02.01.2026 03:04\", 7]]", utf8(cli.predictionJson()));
        });
  }

  @Test
  void aFailingSerializerFailsOnlyTheCallsThatUseIt() throws Exception {
    // ODAHU's server never calls get_output_json_serializer(); only its CLI invoker does.
    with(
        Examples.testModel("encoder"),
        options().environment(Map.of("ODAHU_TEST_SERIALIZER", "raise")).build(),
        backend -> {
          PredictionInput input = PredictionInput.fromJson(null, "[[1]]");
          assertEquals(
              "[[1.1,\"2026-01-02T03:04:00\",7]]",
              utf8(await(backend.predict(input, OutputStyle.COMPACT)).predictionJson()));
          Throwable error = BackendTests.failure(backend.predict(input, OutputStyle.PYTHON));
          ModelPredictionException model = assertInstanceOf(ModelPredictionException.class, error);
          assertEquals(
              "get_output_json_serializer() raised RuntimeError: no serializer today",
              model.getMessage());
          assertEquals("RuntimeError", model.pythonType());
          assertTrue(model.pythonTraceback().contains("no serializer today"));
          assertEquals(0, backend.stats().restarts());
          assertTrue(backend.isReady());
        });
  }
}
