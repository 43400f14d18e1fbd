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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.ModelArtifact;
import org.odahu.pack.artifact.files.ExitCleanup;
import org.odahu.pack.artifact.testing.Examples;

/**
 * Batch prediction with the real wine model in real CPython workers: every format, chunks on
 * parallel workers, a row the model cannot predict, a worker killed mid-file. The answers of a
 * chunked run are compared with one model call on the whole input.
 */
class BatchPredictIT {
  private static final int ROWS = 6_000;
  private static WineFiles wine;
  private static List<Double> expected;

  @TempDir Path temp;

  @BeforeAll
  static void predictTheWholeInputInOneCall(@TempDir Path dir) throws Exception {
    wine = WineFiles.load();
    Path input = wine.odahuJson(dir.resolve("whole.json"), ROWS);
    InvokeRun run =
        invoke("predict", "--chunk-rows", "" + (ROWS + 1), "-q", input.toString(), dir + "/one");
    assertEquals(0, run.status(), run.err());
    JsonNode result = BatchFiles.JSON.readTree(dir.resolve("one/results.json").toFile());
    expected = new ArrayList<>();
    result.get("prediction").forEach(value -> expected.add(value.asDouble()));
    assertEquals(ROWS, expected.size());
  }

  private static InvokeRun invoke(String... args) {
    return InvokeRun.of(Examples.artifact("wine").resolve("odahuflow_model"), List.of(args));
  }

  private static List<Double> jsonlQualities(Path file) throws IOException {
    List<Double> values = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      values.add(BatchFiles.JSON.readTree(line).get("quality").asDouble());
    }
    return values;
  }

  private static void assertClose(List<Double> want, List<Double> got, String what) {
    assertEquals(want.size(), got.size(), what + ": rows");
    for (int i = 0; i < want.size(); i++) {
      assertEquals(want.get(i), got.get(i), 1e-9, what + ": row " + (i + 1));
    }
  }

  private static List<Path> leftovers(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".partial")).toList();
    }
  }

  @Test
  void jsonLinesInChunksOnTwoWorkersGiveTheOneCallAnswersInOrder() throws Exception {
    Path input = wine.jsonl(temp.resolve("wine.jsonl"), ROWS);
    InvokeRun run =
        invoke("predict", "--workers", "2", "--chunk-rows", "250", input.toString(), temp + "/out");
    assertEquals(0, run.status(), run.err());
    Path results = temp.resolve("out/results.jsonl");
    assertEquals("Prediction is successful. Result file: " + results + "\n", run.out());
    assertTrue(run.err().contains("[odahu-pack] predicted 6,000 rows in "), run.err());
    assertClose(expected, jsonlQualities(results), "jsonl");
    assertEquals(List.of(), leftovers(temp.resolve("out")));
  }

  @Test
  void csvWithQuotedHeaderAndValuesToCsvAndShardsCoverTheInput() throws Exception {
    Path input = wine.csv(temp.resolve("wine.csv"), ROWS);
    List<Double> got = new ArrayList<>();
    for (int shard = 0; shard < 3; shard++) {
      InvokeRun run =
          invoke(
              "predict",
              "-q",
              "--shard",
              shard + "/3",
              "--chunk-rows",
              "700",
              input.toString(),
              temp + "/out");
      assertEquals(0, run.status(), run.err());
      List<String> lines = Files.readAllLines(temp.resolve("out/results-" + shard + "-of-3.csv"));
      assertEquals("quality", lines.get(0));
      lines.subList(1, lines.size()).forEach(line -> got.add(Double.parseDouble(line)));
    }
    assertClose(expected, got, "csv shards");
  }

  /**
   * NaN, Infinity and -Infinity reach the model as floats, as ODAHU's CLI read files with Python's
   * {@code json.load} (the test model negates each row's first value, which would fail on None;
   * answers write non-finite numbers as null); Jackson's other spellings ({@code +INF}) are
   * refused, naming the row.
   */
  @Test
  void nonFiniteNumbersAreReadAsPythonReadsThem() throws Exception {
    Path model = Examples.testModel("matrix").resolve("odahuflow_model");
    Path odahu =
        Files.writeString(
            temp.resolve("nan.json"),
            "{\"columns\": [\"a\", \"b\"], \"data\": [[NaN, 1.5], [-Infinity, 2]]}");
    Path lines =
        Files.writeString(
            temp.resolve("nan.jsonl"), "{\"a\": NaN, \"b\": 1.5}\n{\"b\": 2, \"a\": -Infinity}\n");
    for (Path input : List.of(odahu, lines)) {
      InvokeRun run =
          InvokeRun.of(
              model,
              List.of(
                  "predict", "-q", "--output-format", "jsonl", input.toString(), temp + "/out"));
      assertEquals(0, run.status(), run.err());
      List<String> answers = Files.readAllLines(temp.resolve("out/results.jsonl"));
      assertEquals(
          List.of(
              "{\"kind\":\"listoflist\",\"a\":null,\"b\":1.5}",
              "{\"kind\":\"listoflist\",\"a\":null,\"b\":2}"),
          answers.stream().map(line -> line.replace(" ", "")).toList(),
          input.toString());
      Files.delete(temp.resolve("out/results.jsonl"));
    }
    Path jackson = Files.writeString(temp.resolve("inf.jsonl"), "[1, 2]\n[+INF, 3]\n");
    InvokeRun refused =
        InvokeRun.of(model, List.of("predict", "-q", jackson.toString(), temp + "/out"));
    assertEquals(1, refused.status(), refused.out());
    assertTrue(
        refused.err().contains("Row 2 of " + jackson + ": not well-formed JSON: ")
            && refused.err().contains("'+INF'"),
        refused.err());
  }

  @Test
  void aRowTheModelCannotPredictFailsNamingItsChunkAndLeavesNoResult() throws Exception {
    Path input = wine.jsonl(temp.resolve("poisoned.jsonl"), 1000, 612);
    InvokeRun run = invoke("predict", "-q", "--chunk-rows", "100", input.toString(), temp + "/out");
    assertEquals(1, run.status(), run.out());
    assertTrue(
        run.err().startsWith("Error: Exception during prediction: ")
            && run.err().strip().endsWith("(rows 601-700)"),
        run.err());
    // No result, no temporary file: the output directory the run made went with it.
    assertFalse(Files.exists(temp.resolve("out")));
  }

  @Test
  void skipWhereEveryRowFailsWritesTheFilesButIsAFailure() throws Exception {
    Path input = wine.jsonl(temp.resolve("poisoned.jsonl"), 100, 12);
    InvokeRun run = invoke("predict", "-q", "--on-error", "skip", input.toString(), temp + "/out");
    assertEquals(1, run.status(), run.out());
    Path errors = temp.resolve("out/results.errors.jsonl");
    String message =
        "Error: every row failed (100), none was predicted into "
            + temp.resolve("out/results.jsonl")
            + "; the reasons are in "
            + errors
            + "\n";
    assertTrue(run.err().endsWith(message), run.err());
    assertFalse(run.out().contains("successful"), run.out());
    assertEquals(100, Files.readAllLines(errors).size());
    assertEquals("", Files.readString(temp.resolve("out/results.jsonl")));
  }

  @Test
  void skipWritesTheOtherRowsAndTheFailedOnesWithTheirError() throws Exception {
    Path input = wine.jsonl(temp.resolve("poisoned.jsonl"), 1000, 612);
    InvokeRun run =
        invoke(
            "predict",
            "-q",
            "--on-error",
            "skip",
            "--chunk-rows",
            "100",
            input.toString(),
            temp + "/out");
    assertEquals(0, run.status(), run.err());
    Path errors = temp.resolve("out/results.errors.jsonl");
    assertTrue(run.out().contains("Rows that failed: 100, written to " + errors), run.out());
    List<Double> want = new ArrayList<>(expected.subList(0, 600));
    want.addAll(expected.subList(700, 1000));
    assertClose(want, jsonlQualities(temp.resolve("out/results.jsonl")), "skipped");
    List<String> failed = Files.readAllLines(errors);
    assertEquals(100, failed.size());
    for (int i = 0; i < failed.size(); i++) {
      JsonNode line = BatchFiles.JSON.readTree(failed.get(i));
      assertEquals(601 + i, line.get("row").asLong());
      assertTrue(
          line.get("error").asText().startsWith("Exception during prediction: "), failed.get(i));
      assertTrue(line.get("error").asText().endsWith("(rows 601-700)"), failed.get(i));
      // The row as the model got it: the object's values in the first line's column order.
      JsonNode first = line.get("data").get(0);
      if (i == 12) {
        assertEquals("not a number", first.asText(), failed.get(i));
      } else {
        assertEquals(Double.parseDouble(wine.row(600 + i).get(0)), first.asDouble(), failed.get(i));
      }
    }
  }

  @Test
  void aWorkerKilledMidFileCostsNothing() throws Exception {
    Path input = wine.jsonl(temp.resolve("wine.jsonl"), ROWS);
    Path output = temp.resolve("out/results.jsonl");
    AtomicBoolean killed = new AtomicBoolean();
    ModelArtifact artifact =
        ModelArtifact.ofWorkDir(
            Examples.artifact("wine").resolve("odahuflow_model"), "entrypoint", null, null);
    try (BatchRunner runner =
        new BatchRunner(
            artifact,
            BatchRunner.defaults().python(Examples.python()).workers(2).build(),
            ExitCleanup.manual())) {
      BatchListener killer =
          progress -> {
            if (!progress.finished() && killed.compareAndSet(false, true)) {
              ProcessHandle.current()
                  .descendants()
                  .filter(p -> p.info().command().orElse("").contains("python"))
                  .findFirst()
                  .orElseThrow()
                  .destroyForcibly();
            }
          };
      BatchResult result =
          runner.predict(
              new BatchRequest(
                  input,
                  FileFormat.JSONL,
                  output,
                  FileFormat.JSONL,
                  Shard.WHOLE,
                  200,
                  ErrorPolicy.FAIL),
              killer);
      assertEquals(ROWS, result.rows());
    }
    assertTrue(killed.get());
    assertClose(expected, jsonlQualities(output), "after the kill");
  }
}
