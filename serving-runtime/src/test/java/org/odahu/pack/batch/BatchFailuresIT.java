package org.odahu.pack.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.testing.Examples;

/**
 * Chunks that never come back, with real CPython workers running the {@code unruly} test model (it
 * echoes its rows unless the first value of a call's first row is a command): a model call over
 * {@code --timeout}, and a worker that dies on a row each time it is given it.
 */
class BatchFailuresIT {
  private static final int ROWS = 20;
  private static final int CHUNK = 5;

  @TempDir Path temp;

  private static InvokeRun invoke(String... args) {
    List<String> argv = new ArrayList<>(List.of("predict", "-q", "--chunk-rows", "" + CHUNK));
    argv.addAll(List.of(args));
    return InvokeRun.of(Examples.testModel("unruly").resolve("odahuflow_model"), argv);
  }

  /** {@code ["echo", i]} for rows 1 to 20, but row {@code poisoned} is {@code [command, arg]}. */
  private Path input(int poisoned, String command, int arg) throws IOException {
    StringBuilder lines = new StringBuilder();
    for (int row = 1; row <= ROWS; row++) {
      lines.append(
          row == poisoned ? "[\"" + command + "\", " + arg + "]" : "[\"echo\", " + row + "]");
      lines.append('\n');
    }
    return Files.writeString(temp.resolve("rows.jsonl"), lines);
  }

  /** The second value of each result line: the row number the model echoed. */
  private static List<Integer> echoedRows(Path file) throws IOException {
    List<Integer> rows = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      JsonNode node = BatchFiles.JSON.readTree(line);
      List<JsonNode> values = new ArrayList<>();
      node.elements().forEachRemaining(values::add);
      rows.add(values.get(1).asInt());
    }
    return rows;
  }

  private static List<Integer> rowsExcept(int from, int to) {
    List<Integer> rows = new ArrayList<>();
    for (int row = 1; row <= ROWS; row++) {
      if (row < from || row > to) {
        rows.add(row);
      }
    }
    return rows;
  }

  private static List<String> files(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }

  /** The side file's lines: each row's number, error and data as the model got it. */
  private static List<JsonNode> sideFile(Path file) throws IOException {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      lines.add(BatchFiles.JSON.readTree(line));
    }
    return lines;
  }

  private static void assertSideFile(
      Path errors, int from, String errorStart, String poison, int arg) throws IOException {
    List<JsonNode> failed = sideFile(errors);
    assertEquals(CHUNK, failed.size(), failed.toString());
    String rows = "(rows " + from + "-" + (from + CHUNK - 1) + ")";
    for (int i = 0; i < CHUNK; i++) {
      JsonNode line = failed.get(i);
      assertEquals(from + i, line.get("row").asInt(), line.toString());
      String error = line.get("error").asText();
      assertTrue(error.startsWith(errorStart) && error.endsWith(rows), error);
      String data = i == 0 ? "[\"" + poison + "\"," + arg + "]" : "[\"echo\"," + (from + i) + "]";
      assertEquals(data, line.get("data").toString());
    }
  }

  @Test
  void aModelThatDoesNotStartWithinTheStartTimeoutFailsTheRun() throws Exception {
    Path input = input(1, "echo", 1);
    Path out = temp.resolve("out");
    long start = System.nanoTime();
    InvokeRun run =
        InvokeRun.of(
            Examples.testModel("slowinit").resolve("odahuflow_model"),
            List.of("predict", "-q", "--start-timeout", "2", input.toString(), out.toString()));
    long seconds = java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
    assertEquals(1, run.status(), run.out());
    assertTrue(run.err().contains("2 s"), run.err());
    assertTrue(seconds < 30, "the run ended after " + seconds + " s, its init() sleeps a minute");
    assertEquals(List.of(), files(out));
  }

  @Test
  void aChunkOverTheTimeoutFailsNamingItsRowsAndTheLimit() throws Exception {
    Path input = input(11, "sleep", 3);
    Path out = temp.resolve("out").resolve("nested");
    InvokeRun run = invoke("--timeout", "1", "--workers", "1", input.toString(), out.toString());
    assertEquals(1, run.status(), run.out());
    assertTrue(
        run.err().startsWith("Error: Prediction timed out after 1 s")
            && run.err().strip().endsWith("(rows 11-15)"),
        run.err());
    // The directories the run made for its result went with it; the one that was there stays.
    assertFalse(Files.exists(temp.resolve("out")), "the failed run left " + temp.resolve("out"));
    assertTrue(Files.isDirectory(temp));
  }

  /**
   * One worker: the chunk after the one that timed out is predicted too, so the hanging worker was
   * killed and replaced, and the time limit of the next chunk did not run while it waited.
   */
  @Test
  void skipPutsATimedOutChunkInTheSideFileAndGoesOnWithAFreshWorker() throws Exception {
    Path input = input(11, "sleep", 600);
    Path out = temp.resolve("out");
    InvokeRun run =
        invoke(
            "--timeout",
            "4",
            "--workers",
            "1",
            "--on-error",
            "skip",
            input.toString(),
            out.toString());
    assertEquals(0, run.status(), run.err());
    assertTrue(run.out().contains("Rows that failed: 5, written to "), run.out());
    assertEquals(rowsExcept(11, 15), echoedRows(out.resolve("results.jsonl")));
    assertSideFile(
        out.resolve("results.errors.jsonl"), 11, "Prediction timed out after 4 s", "sleep", 600);
  }

  /**
   * A model answering one row to a chunk of five cannot be cut into chunks: the message says every
   * limit that cuts them, the heap's share too, which --chunk-rows alone cannot lift.
   */
  @Test
  void aModelThatDoesNotPredictRowByRowIsToldEveryLimitThatCutsChunks() throws Exception {
    Path input = input(1, "big", 10);
    Path out = temp.resolve("out");
    InvokeRun run = invoke("--workers", "1", input.toString(), out.toString());
    assertEquals(1, run.status(), run.out());
    assertTrue(
        run.err().contains("The model answered 1 rows to rows 1-5 (5 rows)")
            && run.err().contains("(--chunk-rows)")
            && run.err().contains("a chunk is also cut at a 32nd of the heap ("),
        run.err());
    assertEquals(List.of(), files(out));
  }

  @Test
  void aWorkerThatDiesTwiceOnAChunkFailsItNamingItsRows() throws Exception {
    Path input = input(6, "exit", 0);
    Path out = temp.resolve("out");
    InvokeRun run = invoke("--workers", "1", input.toString(), out.toString());
    assertEquals(1, run.status(), run.out());
    assertTrue(
        run.err().startsWith("Error: Model worker died during the prediction, twice: ")
            && run.err().strip().endsWith("(rows 6-10)"),
        run.err());
    assertEquals(List.of(), files(out));
  }

  @Test
  void skipPutsAChunkWhoseWorkerDiedTwiceInTheSideFile() throws Exception {
    Path input = input(6, "exit", 0);
    Path out = temp.resolve("out");
    InvokeRun run =
        invoke("--workers", "2", "--on-error", "skip", input.toString(), out.toString());
    assertEquals(0, run.status(), run.err());
    assertEquals(rowsExcept(6, 10), echoedRows(out.resolve("results.jsonl")));
    assertSideFile(
        out.resolve("results.errors.jsonl"),
        6,
        "Model worker died during the prediction, twice: ",
        "exit",
        0);
  }
}
