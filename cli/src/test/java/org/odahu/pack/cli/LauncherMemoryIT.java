package org.odahu.pack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.testing.Examples;

/**
 * The launcher bounds the JVM heap, ODAHU_PACK_JAVA_OPTS changes the bound, and batch prediction
 * stays inside it.
 */
class LauncherMemoryIT {
  @TempDir Path temp;

  /** What the JVM says of its settings when {@code odahu-pack --version} runs. */
  private static String vmSettings(String javaOptions) throws Exception {
    ProcessBuilder builder = Launcher.builder("odahu-pack", List.of("--version"));
    builder.environment().put("ODAHU_PACK_JAVA_OPTS", "-XshowSettings:vm " + javaOptions);
    Launcher.Result result = Launcher.run(builder);
    assertEquals(0, result.status(), result.output());
    return result.output();
  }

  @Test
  void theHeapIsBoundedAndTheUsersOptionsWin() throws Exception {
    String bounded = vmSettings("");
    assertTrue(bounded.contains("Max. Heap Size: 1.00G"), bounded);
    String raised = vmSettings("-Xmx3g");
    assertTrue(raised.contains("Max. Heap Size: 3.00G"), raised);
  }

  /**
   * Wide rows: 40 MB in 2,500 rows, fewer than one chunk's default 10,000, through a 96 MiB heap.
   * Chunks are cut by their bytes, a share of the heap, not only by their rows.
   */
  @Test
  void wideRowsArePredictedInsideASmallHeap() throws Exception {
    Path input = temp.resolve("wide.jsonl");
    String wide = "y".repeat(16_000);
    try (BufferedWriter out = Files.newBufferedWriter(input, StandardCharsets.UTF_8)) {
      for (int row = 0; row < 2_500; row++) {
        out.write("[" + row + ", \"" + wide + "\"]\n");
      }
    }
    Path output = temp.resolve("out");
    ProcessBuilder builder =
        Launcher.builder(
            "odahu-pack",
            List.of(
                "predict",
                Examples.artifact("echo").toString(),
                input.toString(),
                output.toString(),
                "--quiet",
                "--python=" + Examples.python()));
    builder.environment().put("ODAHU_PACK_JAVA_OPTS", "-Xmx96m");
    Launcher.Result result = Launcher.run(builder);
    assertEquals(0, result.status(), result.output());
    try (Stream<String> lines = Files.lines(output.resolve("results.jsonl"))) {
      assertEquals(2_500, lines.count());
    }
  }
}
