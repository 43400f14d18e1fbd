package org.odahu.pack.server.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's {@code promtool} and {@code prometheus} binaries ({@code scripts/install-deps.sh}). */
final class Promtool {
  private Promtool() {}

  /** What a run printed and how it ended. */
  record Result(int exitCode, String output) {}

  /** The binary {@code name} of the {@code prometheus} package. */
  static Path binary(String name) {
    Path binary = Path.of(System.getProperty("odahu.prometheus.bin", "/usr/bin"), name);
    assertTrue(
        Files.isExecutable(binary),
        binary + " is missing: install Debian's prometheus package (scripts/install-deps.sh)");
    return binary;
  }

  /** Runs {@code promtool args} in {@code dir} with {@code stdin} as its input. */
  static Result run(Path dir, String stdin, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(binary("promtool").toString());
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    try (OutputStream in = process.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "promtool did not finish");
    return new Result(process.exitValue(), output);
  }
}
