package org.odahu.pack.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.testing.Examples;

/**
 * Memory stays bounded whatever the input's size: a JSON Lines file several times larger than the
 * JVM's whole heap goes through the wine model in the docker-cli entrypoint (its own JVM), and the
 * resident memory of that JVM and its Python worker together stays under a fixed bound.
 */
class BatchMemoryIT {
  private static final int ROWS = 400_000;
  private static final String HEAP = "-Xmx32m";
  private static final long BOUND_KIB = 420L * 1024;

  @TempDir Path temp;

  @Test
  void aFileLargerThanTheHeapStreamsThroughInBoundedMemory() throws Exception {
    Path input = WineFiles.load().jsonl(temp.resolve("large.jsonl"), ROWS);
    assertTrue(Files.size(input) > 2L * 32 * 1024 * 1024, "the input is larger than the heap");
    Process process =
        predictInItsOwnJvm(
            Examples.artifact("wine"),
            temp.resolve("log.txt"),
            "--chunk-rows",
            "5000",
            input.toString(),
            temp.resolve("out").toString());
    long peak = 0;
    try {
      while (!process.waitFor(100, TimeUnit.MILLISECONDS)) {
        peak = Math.max(peak, residentKib(process.toHandle()));
      }
    } finally {
      process.destroyForcibly();
    }
    String log = Files.readString(temp.resolve("log.txt"));
    assertEquals(0, process.exitValue(), log);
    assertTrue(log.contains("predicted 400,000 rows"), log);
    assertEquals(ROWS, Files.readAllLines(temp.resolve("out/results.jsonl")).size());
    assertTrue(peak > 0, "resident memory was sampled");
    assertTrue(
        peak < BOUND_KIB, "peak resident memory " + peak / 1024 + " MiB (JVM and worker)" + log);
  }

  /**
   * An answer larger than the heap is said to be one, with what to change: not retried as if its
   * worker had died (which would build it twice).
   */
  @Test
  void anAnswerLargerThanTheHeapIsSaidToBeOne() throws Exception {
    Path input = Files.writeString(temp.resolve("big.jsonl"), "[\"big\", 60000000]\n");
    Process process =
        predictInItsOwnJvm(
            Examples.testModel("unruly"),
            temp.resolve("big-log.txt"),
            input.toString(),
            temp.resolve("big-out").toString());
    try {
      assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the run did not end");
    } finally {
      process.destroyForcibly();
    }
    String log = Files.readString(temp.resolve("big-log.txt"));
    assertEquals(1, process.exitValue(), log);
    assertTrue(log.contains("Error: The Java heap (") && log.contains("is too small"), log);
    assertTrue(!log.contains("predicting them again"), log);
  }

  /**
   * The docker-cli entrypoint's {@code predict} of {@code artifact} with one worker, in a JVM of
   * {@link #HEAP}, its output in {@code log}.
   */
  private static Process predictInItsOwnJvm(Path artifact, Path log, String... arguments)
      throws IOException {
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                HEAP,
                "-cp",
                System.getProperty("java.class.path"),
                InvokeMain.class.getName(),
                "--python",
                Examples.python().toString(),
                "--model",
                artifact.resolve("odahuflow_model").toString(),
                "predict",
                "--workers",
                "1"));
    command.addAll(List.of(arguments));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  /** VmRSS of a process and its descendants, in KiB. */
  private static long residentKib(ProcessHandle process) {
    long total = rss(process.pid());
    for (ProcessHandle child : process.descendants().toList()) {
      total += rss(child.pid());
    }
    return total;
  }

  private static long rss(long pid) {
    try {
      List<String> status = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"));
      for (String line : status) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // The process ended between listing and reading: it holds no memory any more.
    }
    return 0;
  }
}
