package org.odahu.pack.gppi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.odahu.pack.gppi.BackendTests.await;
import static org.odahu.pack.gppi.BackendTests.options;
import static org.odahu.pack.gppi.BackendTests.prediction;
import static org.odahu.pack.gppi.BackendTests.utf8;
import static org.odahu.pack.gppi.BackendTests.with;
import static org.odahu.pack.gppi.BackendTests.workerProcesses;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.gppi.testing.CapturedLog;

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
  void hugeOutputWithoutNewlinesIsLoggedInBoundedPieces() throws Exception {
    int flood = 4 << 20;
    try (CapturedLog log = CapturedLog.of(MODEL_LOG)) {
      with(
          Examples.testModel("unruly"),
          options().build(),
          backend -> {
            String answer =
                utf8(
                    await(BackendTests.send(backend, "{\"data\":[[\"flood\"," + flood + "]]}"))
                        .predictionJson());
            assertEquals("[[\"flood\"," + flood + "]]", answer);
            awaitLogged(log, "[worker-1 pid ", "unruly: flood done");
            List<String> pieces =
                log.messages().stream()
                    .filter(m -> m.contains("xxx") || m.contains("yyy"))
                    .toList();
            String tag = pieces.get(0).substring(0, pieces.get(0).indexOf(']') + 2);
            for (String piece : pieces) {
              assertTrue(piece.length() <= tag.length() + 64 * 1024, "logged " + piece.length());
            }
            // Nothing is lost: every x of stdout and every y of stderr is in some piece.
            assertEquals(flood, count(pieces, 'x'));
            assertEquals(flood, count(pieces, 'y'));
            assertEquals("[[\"ok\",0]]", prediction(backend, "ok"));
          });
    }
  }

  private static long count(List<String> pieces, char wanted) {
    return pieces.stream()
        .map(piece -> piece.replace("unruly: flood done", ""))
        .flatMapToInt(String::chars)
        .filter(c -> c == wanted)
        .count();
  }

  @Test
  void theModelsOwnEncoderWritesBatchCliAnswers() throws Exception {
    with(
        Examples.testModel("encoder"),
        options().build(),
        backend -> {
          PredictionInput input = PredictionInput.parse("{\"data\":[[1]]}");
          // The batch CLI (results.json) path: the model's get_output_json_serializer() encoder,
          // with the default encoder still writing what it leaves alone (a numpy integer).
          assertEquals(
              "{\"prediction\": [[\"EUR 1.10\", \"02.01.2026 03:04\", 7]],"
                  + " \"columns\": [\"price\", \"at\", \"count\"]}",
              utf8(await(backend.predict(input, OutputStyle.PYTHON)).toPythonStyleJson()));
          // The server path does not use it.
          assertEquals(
              "{\"prediction\":[[1.1,\"2026-01-02T03:04:00\",7]],"
                  + "\"columns\":[\"price\",\"at\",\"count\"]}",
              utf8(await(backend.predict(input, OutputStyle.COMPACT)).toResponseJson()));
        });
  }
}
