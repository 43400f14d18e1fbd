package org.odahu.pack.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.odahu.pack.artifact.testing.Examples;

/** Runs the built distribution's launcher scripts ({@code bin/}) as a user or a cluster would. */
final class Launcher {
  private Launcher() {}

  /** What a finished run printed (stdout and stderr together) and its exit status. */
  record Result(int status, String output) {}

  /** A process builder for {@code bin/<script> arguments...}, output and errors merged. */
  static ProcessBuilder builder(String script, List<String> arguments) {
    List<String> command =
        new ArrayList<>(
            List.of("bash", Path.of(System.getProperty("odahu.home"), "bin", script).toString()));
    command.addAll(arguments);
    return new ProcessBuilder(command).redirectErrorStream(true);
  }

  /**
   * {@code builder} run as a terminal's foreground job runs, for tests that signal it: in a session
   * (and process group) of its own, its process group id its pid, with SIGINT, SIGTERM and SIGHUP
   * at their defaults even when this build was started where they are ignored (a background job of
   * a non-interactive shell, or nohup, whose children inherit that, and which only exec from a
   * program that resets them undoes).
   */
  static ProcessBuilder foregroundJob(ProcessBuilder builder) {
    builder
        .command()
        .addAll(
            0,
            List.of(
                "setsid",
                "/usr/bin/python3",
                "-c",
                "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL);"
                    + " signal.signal(signal.SIGTERM, signal.SIG_DFL);"
                    + " signal.signal(signal.SIGHUP, signal.SIG_DFL);"
                    + " os.execvp(sys.argv[1], sys.argv[1:])"));
    return builder;
  }

  /** A port free on the loopback interface, for a server a test starts. */
  static int freeLoopbackPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /**
   * {@code odahu-pack serve} of the simple model with Debian's Python on 127.0.0.1:{@code port}.
   */
  static ProcessBuilder serveSimple(int port) {
    return serve(Examples.artifact("simple"), port);
  }

  /** {@code odahu-pack serve artifact} with Debian's Python on 127.0.0.1:{@code port}. */
  static ProcessBuilder serve(Path artifact, int port) {
    return builder(
        "odahu-pack",
        List.of(
            "serve",
            artifact.toString(),
            "--python=" + Examples.python(),
            "--host=127.0.0.1",
            "--port=" + port));
  }

  /** Runs {@code builder} to its end (at most five minutes). */
  static Result run(ProcessBuilder builder) throws IOException, InterruptedException {
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(5, TimeUnit.MINUTES), output);
    return new Result(process.exitValue(), output);
  }
}
