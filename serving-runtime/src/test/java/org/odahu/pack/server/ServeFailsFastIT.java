package org.odahu.pack.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.server.testing.ServerMainCommand;

/** {@code serve} with options that make starting the model impossible exits 1 at once. */
class ServeFailsFastIT {

  @Test
  void aMissingInterpreterEndsServeWithOneLineAndExitCode1() throws Exception {
    assertEndsBeforeBinding(
        "/nope/python",
        "Error: The Python interpreter /nope/python cannot be run: No such file or directory.");
  }

  @Test
  void anInterpreterNamedWithoutAPathIsLookedUpOnPathBeforeBinding() throws Exception {
    assertEndsBeforeBinding(
        "no-such-python3",
        "Error: The Python interpreter no-such-python3 cannot be run: not found in any directory"
            + " of PATH.");
  }

  private static void assertEndsBeforeBinding(String python, String error) throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    Process serve =
        new ProcessBuilder(
                ServerMainCommand.of(
                    Examples.artifact("simple").toString(),
                    "--host=127.0.0.1",
                    "--port=" + port,
                    "--python=" + python,
                    "--no-access-log"))
            .redirectErrorStream(true)
            .start();
    // Before, the worker was restarted with back-off for ever and serve never exited.
    boolean exited = serve.waitFor(30, TimeUnit.SECONDS);
    if (!exited) {
      serve.destroyForcibly();
    }
    String output = new String(serve.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(exited, "serve is still running: " + output);
    assertEquals(1, serve.exitValue(), output);
    List<String> errors = output.lines().filter(line -> line.startsWith("Error: ")).toList();
    assertEquals(
        List.of(
            error
                + " Hint: install Python 3 with the model's dependencies, or choose an interpreter"
                + " (--python, ODAHU_PYTHON)."),
        errors);
    // Found before the port is bound: the server is never announced.
    assertFalse(output.contains("Serving "), output);
  }
}
