package org.odahu.pack.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.server.testing.ServerMainCommand;

/** {@code serve} starts its first Python worker while it parses its options, and uses that one. */
class EarlyWorkerServeIT {
  private static final Pattern TAKEN =
      Pattern.compile(".* worker-1 takes over the Python process started early, pid (\\d+)");
  private static final Pattern READY = Pattern.compile(".* worker-1 \\(pid (\\d+)\\) is ready");

  /** The server's log until its worker is ready, and then how many Python processes it has. */
  private static List<String> serveUntilReady(String... args) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(ServerMainCommand.of(args)).redirectErrorStream(true);
    builder.environment().keySet().removeIf(name -> name.startsWith("ODAHU_"));
    Process server = builder.start();
    CompletableFuture.delayedExecutor(90, TimeUnit.SECONDS).execute(server::destroyForcibly);
    List<String> lines = new ArrayList<>();
    try (BufferedReader log = server.inputReader()) {
      for (String line = log.readLine(); line != null; line = log.readLine()) {
        lines.add(line);
        if (READY.matcher(line).matches()) {
          lines.add("Python processes: " + ModelServerIT.pythonProcesses(server.toHandle()).size());
          return lines;
        }
      }
      throw new AssertionError("serve ended before its worker was ready: " + lines);
    } finally {
      server.destroy();
      if (!server.waitFor(30, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
  }

  private static String pid(Pattern pattern, List<String> lines) {
    for (String line : lines) {
      Matcher matcher = pattern.matcher(line);
      if (matcher.matches()) {
        return matcher.group(1);
      }
    }
    return null;
  }

  @Test
  void theWorkerStartedEarlyIsTheOneThatServes() throws Exception {
    List<String> log =
        serveUntilReady(
            Examples.artifact("simple").toString(),
            "--host=127.0.0.1",
            "--port=0",
            "--python",
            Examples.python().toString(),
            "--verbose");
    String early = pid(TAKEN, log);
    assertTrue(early != null, "no early worker: " + log);
    assertEquals(early, pid(READY, log), String.join("\n", log));
    assertTrue(log.contains("Python processes: 1"), String.join("\n", log));
  }

  @Test
  void optionsBeforeTheArtifactStartTheWorkerAsBefore() throws Exception {
    List<String> log =
        serveUntilReady(
            "--host=127.0.0.1",
            Examples.artifact("simple").toString(),
            "--port=0",
            "--python",
            Examples.python().toString(),
            "--verbose");
    assertEquals(null, pid(TAKEN, log), String.join("\n", log));
    assertTrue(log.contains("Python processes: 1"), String.join("\n", log));
  }
}
