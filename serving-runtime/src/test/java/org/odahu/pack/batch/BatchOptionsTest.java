package org.odahu.pack.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.gppi.BackendOptions;
import picocli.CommandLine;

/** The shared batch options as {@code invoke predict} parses them. */
class BatchOptionsTest {
  private static InvokeCommand.Predict parse(String... args) {
    InvokeCommand.Predict predict = new InvokeCommand.Predict();
    new CommandLine(predict).parseArgs(args);
    return predict;
  }

  /** A request for {@code input}, which need not exist, in chunks of {@code chunkRows}. */
  private static BatchRequest request(Path input, int chunkRows) {
    return new BatchRequest(
        input,
        FileFormat.JSON,
        input.resolveSibling("results.json"),
        FileFormat.JSON,
        Shard.WHOLE,
        chunkRows,
        ErrorPolicy.FAIL);
  }

  private static BackendOptions backend(BatchRequest request, String... args) {
    return parse(args).batch.applyTo(BatchRunner.defaults(), request).build();
  }

  private static BackendOptions backend(String... args) {
    return backend(request(Path.of("missing.json"), BatchRequest.DEFAULT_CHUNK_ROWS), args);
  }

  @Test
  void timeoutIsWholeSecondsAndUnlimitedUnlessGiven() {
    assertEquals(BatchRunner.defaults().build().timeout(), backend("in.json", "out/").timeout());
    assertEquals(Duration.ofSeconds(90), backend("--timeout", "90", "in.json", "out/").timeout());
    var zero =
        assertThrows(CommandLine.ParameterException.class, () -> parse("--timeout", "0", "a", "b"));
    assertTrue(zero.getMessage().contains("must be at least 1 second, got 0"), zero.getMessage());
    var words =
        assertThrows(
            CommandLine.ParameterException.class, () -> parse("--timeout", "5m", "a", "b"));
    assertTrue(words.getMessage().contains("not a whole number of seconds"), words.getMessage());
    // A deadline this far away would overflow the clock; it was a stack trace and exit 1.
    var huge =
        assertThrows(
            CommandLine.ParameterException.class,
            () -> parse("--timeout", "9223372036854775807", "a", "b"));
    assertTrue(huge.getMessage().contains("must be at most 1000000000 seconds"), huge.getMessage());
  }

  @Test
  void theResultsNameIsAFileNameInTheOutputDirectory(@TempDir Path temp) throws IOException {
    Path input = Files.writeString(temp.resolve("in.json"), "{\"data\": [[1]]}");
    String out = temp.resolve("out").toString();
    for (String name : new String[] {"/etc/x.json", "../x.json", "a/b.json", "", ".", ".."}) {
      InvokeCommand.Predict predict = parse(input.toString(), out, "--output_file_name", name);
      var mistake =
          assertThrows(
              CommandLine.ParameterException.class,
              () -> predict.batch.request(predict.input, predict.outputDir, predict.fileName),
              name);
      assertTrue(
          mistake.getMessage().contains("must be a file name in OUTPUT_DIR"), mistake.getMessage());
    }
    InvokeCommand.Predict plain = parse(input.toString(), out, "--output_file_name", "answer.json");
    assertEquals(
        temp.resolve("out").resolve("answer.json"),
        plain.batch.request(plain.input, plain.outputDir, plain.fileName).output());
  }

  @Test
  void quietLeavesOnlyWarningsInTheLogUnlessVerbose() {
    Logger root = Logger.getLogger("");
    Level before = root.getLevel();
    try {
      root.setLevel(Level.INFO);
      backend("in.json", "out/");
      assertEquals(Level.INFO, root.getLevel());
      backend("-q", "in.json", "out/");
      assertEquals(Level.WARNING, root.getLevel());
      root.setLevel(Level.FINE); // --verbose
      backend("-q", "in.json", "out/");
      assertEquals(Level.FINE, root.getLevel());
    } finally {
      root.setLevel(before);
    }
  }

  @Test
  void inputMatrixIsListsUnlessNdarrayIsAsked() {
    assertEquals(BackendOptions.LISTS, backend("in.json", "out/").inputMatrix());
    assertEquals(
        BackendOptions.NDARRAY,
        backend("--input-matrix", "ndarray", "in.json", "out/").inputMatrix());
    var other =
        assertThrows(
            CommandLine.ParameterException.class, () -> parse("--input-matrix", "numpy", "a", "b"));
    assertTrue(
        other.getMessage().contains("must be lists or ndarray, got 'numpy'"), other.getMessage());
  }

  @Test
  void workersAreTheCpusUnlessGivenButNeverMoreThanTheInputCanHaveChunks(@TempDir Path temp)
      throws IOException {
    int cpus = Runtime.getRuntime().availableProcessors();
    assertEquals(cpus, backend("in.json", "out/").workers()); // size unknown
    assertEquals(cpus, backend(request(temp, 1), "in.json", "out/").workers()); // not a file
    assertEquals(3, backend("--workers", "3", "in.json", "out/").workers());
    Path oneRow =
        Files.writeString(temp.resolve("in.json"), "{\"columns\": [\"a\"], \"data\": [[1]]}");
    assertEquals(1, backend(request(oneRow, 10_000), "in.json", "out/").workers());
    // Asked for or not: six model imports for one chunk would be five too many.
    assertEquals(1, backend(request(oneRow, 10_000), "--workers", "6", "a", "b").workers());
    assertEquals(3, backend(request(oneRow, 10), "--workers", "3", "a", "b").workers());
    assertEquals(1024, backend("--workers", "1024", "in.json", "out/").workers());
    CommandLine.ParameterException tooMany =
        assertThrows(
            CommandLine.ParameterException.class, () -> parse("--workers", "10000", "a", "b"));
    assertTrue(
        tooMany.getMessage().contains("must be between 1 and 1024, got 10000"),
        tooMany.getMessage());
    // 33 bytes hold at most 33 rows: 4 chunks of 10
    assertEquals(Math.min(cpus, 4), backend(request(oneRow, 10), "in.json", "out/").workers());
    assertEquals(4, request(oneRow, 10).mostChunks());
    assertEquals(1, request(Files.createFile(temp.resolve("empty.json")), 10).mostChunks());
  }

  /** What an Indexed Job's pod is given: a wrong count is a mistake, in a Job or not. */
  @Test
  void theShardVariablesAreCheckedAndNamed(@TempDir Path temp) throws IOException {
    Path input = Files.writeString(temp.resolve("in.json"), "{\"data\": [[1]]}");
    for (Map<String, String> environment :
        List.of(
            Map.of("ODAHU_SHARDS", "abc"),
            Map.of("ODAHU_SHARDS", "0"),
            Map.of("ODAHU_SHARDS", "-2"),
            Map.of("ODAHU_SHARDS", "0", "JOB_COMPLETION_INDEX", "0"))) {
      CommandLine.ParameterException wrong =
          assertThrows(
              CommandLine.ParameterException.class,
              () -> shardOf(environment, input, temp),
              environment.toString());
      assertTrue(
          wrong
              .getMessage()
              .contains(
                  "$ODAHU_SHARDS must be a whole number of at least 1, got '"
                      + environment.get("ODAHU_SHARDS")
                      + "'"),
          wrong.getMessage());
    }
    CommandLine.ParameterException index =
        assertThrows(
            CommandLine.ParameterException.class,
            () -> shardOf(Map.of("ODAHU_SHARDS", "3", "JOB_COMPLETION_INDEX", "x"), input, temp));
    assertTrue(
        index.getMessage().contains("$JOB_COMPLETION_INDEX must be a whole number of at least 0"),
        index.getMessage());
    CommandLine.ParameterException beyond =
        assertThrows(
            CommandLine.ParameterException.class,
            () -> shardOf(Map.of("ODAHU_SHARDS", "3", "JOB_COMPLETION_INDEX", "3"), input, temp));
    assertTrue(
        beyond.getMessage().contains("JOB_COMPLETION_INDEX (3) must be below the number of shards"),
        beyond.getMessage());
    assertEquals(Shard.WHOLE, shardOf(Map.of("ODAHU_SHARDS", "3"), input, temp));
    assertEquals(
        new Shard(2, 3),
        shardOf(Map.of("ODAHU_SHARDS", "3", "JOB_COMPLETION_INDEX", "2"), input, temp));
  }

  private static Shard shardOf(Map<String, String> environment, Path input, Path temp) {
    InvokeCommand.Predict predict = parse(input.toString(), temp.toString());
    predict.batch.environment = environment;
    return predict.batch.request(input, temp.resolve("out"), null).shard();
  }
}
