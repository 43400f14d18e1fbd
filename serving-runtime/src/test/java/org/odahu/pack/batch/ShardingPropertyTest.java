package org.odahu.pack.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.files.ExitCleanup;
import org.odahu.pack.gppi.Prediction;
import org.odahu.pack.server.testing.InMemoryBackend;

/**
 * The property sharding promises: for any input, chunk size, worker count and shard count, the
 * shards' result files put one after the other hold exactly the rows of the unsharded result, in
 * order, and those are the input's rows (the stand-in model echoes its input, answering after a
 * random delay so that chunks finish out of order). Real CPython workers run a few such cases in
 * {@code BatchPredictIT}.
 */
class ShardingPropertyTest {
  private static final List<FileFormat> FORMATS =
      List.of(FileFormat.JSON, FileFormat.JSONL, FileFormat.CSV);
  private static ScheduledExecutorService delays;

  @TempDir Path temp;

  @BeforeAll
  static void startDelays() {
    delays = Executors.newScheduledThreadPool(4);
  }

  @AfterAll
  static void stopDelays() {
    delays.shutdownNow();
  }

  private static InMemoryBackend echoLater() {
    return new InMemoryBackend()
        .answer(
            input -> {
              CompletableFuture<Prediction> answer = new CompletableFuture<>();
              var unused =
                  delays.schedule(
                      () -> InMemoryBackend.echo(input).thenAccept(answer::complete),
                      ThreadLocalRandom.current().nextInt(3),
                      TimeUnit.MILLISECONDS);
              return answer;
            });
  }

  private Path run(Path input, FileFormat in, FileFormat out, Shard shard, int chunk, int workers)
      throws Exception {
    Path output = temp.resolve("out").resolve(shard.fileName("results." + out.extension()));
    try (BatchRunner runner = new BatchRunner(echoLater(), workers, ExitCleanup.manual())) {
      runner.predict(
          new BatchRequest(input, in, output, out, shard, chunk, ErrorPolicy.FAIL),
          BatchListener.NONE);
    }
    return output;
  }

  @Test
  void concatenatedShardsEqualTheWholeRowForRow() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    for (int trial = 0; trial < 80; trial++) {
      FileFormat in = FORMATS.get(random.nextInt(FORMATS.size()));
      FileFormat out = FORMATS.get(random.nextInt(FORMATS.size()));
      int rows = 1 + random.nextInt(random.nextBoolean() ? 20 : 400);
      int chunk = 1 + random.nextInt(random.nextBoolean() ? 5 : 120);
      int workers = 1 + random.nextInt(4);
      int shards = 1 + random.nextInt(random.nextBoolean() ? 3 : 12);
      List<List<Object>> data = BatchFiles.rows(random, rows, 2 + random.nextInt(3));
      Path input =
          BatchFiles.write(
              temp.resolve("input-" + trial + "." + in.extension()),
              in,
              data,
              random.nextBoolean());
      String context =
          "seed "
              + seed
              + ", trial "
              + trial
              + ": "
              + in
              + " -> "
              + out
              + ", "
              + rows
              + " rows, chunks of "
              + chunk
              + ", "
              + workers
              + " workers, "
              + shards
              + " shards";

      List<String> whole =
          BatchFiles.resultRows(run(input, in, out, Shard.WHOLE, chunk, workers), out);
      List<String> expected = new ArrayList<>();
      for (List<Object> row : data) {
        expected.add(BatchFiles.echoed(row, out));
      }
      assertEquals(expected, whole, context);

      List<Integer> counts = new ArrayList<>();
      assertEquals(
          whole, concatenatedShards(input, in, out, shards, chunk, workers, counts), context);
      if (in == FileFormat.JSON) {
        assertEvenRowRanges(rows, counts, context);
      }
    }
  }

  /**
   * ODAHU's JSON is cut by row index, not bytes: with rows of very different sizes (a few of
   * kilobytes among short ones) shards still get the same number of rows, give or take one.
   */
  @Test
  void odahuJsonShardsAreRowRangesWhateverTheRowSizes() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    for (int trial = 0; trial < 30; trial++) {
      FileFormat out = FORMATS.get(random.nextInt(FORMATS.size()));
      // No rows at all is refused, sharded or not
      // (whatTheWholeOdahuJsonIsRefusedForFailsEveryShard).
      int rows = 1 + random.nextInt(random.nextBoolean() ? 12 : 300);
      int chunk = 1 + random.nextInt(random.nextBoolean() ? 4 : 60);
      int workers = 1 + random.nextInt(3);
      int shards = 2 + random.nextInt(random.nextBoolean() ? 3 : 15);
      List<List<Object>> data = BatchFiles.rows(random, rows, 2);
      for (List<Object> row : data) {
        if (random.nextInt(5) == 0) {
          row.set(1, "long ".repeat(1 + random.nextInt(800)));
        }
      }
      Path input =
          BatchFiles.write(temp.resolve("uneven-" + trial + ".json"), FileFormat.JSON, data, false);
      String context =
          "seed "
              + seed
              + ", trial "
              + trial
              + ": "
              + rows
              + " rows, "
              + shards
              + " shards, -> "
              + out;
      List<String> expected = new ArrayList<>();
      for (List<Object> row : data) {
        expected.add(BatchFiles.echoed(row, out));
      }
      List<Integer> counts = new ArrayList<>();
      assertEquals(
          expected,
          concatenatedShards(input, FileFormat.JSON, out, shards, chunk, workers, counts),
          context);
      assertEvenRowRanges(rows, counts, context);
    }
  }

  /**
   * Each shard of ODAHU's JSON parses every row to count them, so a broken row fails every shard,
   * not only the one that would predict it.
   */
  @Test
  void aBrokenRowOfOdahuJsonFailsEveryShard() throws Exception {
    Path input =
        Files.writeString(
            temp.resolve("broken.json"),
            "{\"columns\": [\"a\"], \"data\": [[1], [2], [3], [4], [5], [6], [7], [8}, [9]]}");
    for (int shard = 0; shard < 3; shard++) {
      Shard part = new Shard(shard, 3);
      var failure =
          assertThrows(
              InvalidBatchInputException.class,
              () -> run(input, FileFormat.JSON, FileFormat.JSON, part, 2, 1));
      assertTrue(
          failure.getMessage().startsWith("Can not parse input as JSON: ")
              && failure.getMessage().contains("at line 1, column "),
          failure.getMessage());
    }
  }

  /**
   * What makes the whole file invalid after its rows (a second {@code data} or {@code columns},
   * text after the object) or an empty {@code data} fails every shard, not only the last one, which
   * reads to the end, and the whole file.
   */
  @Test
  void whatTheWholeOdahuJsonIsRefusedForFailsEveryShard() throws Exception {
    List<List<String>> cases =
        List.of(
            List.of("{\"data\": [[1], [2], [3], [4]]} x", "Can not parse input as JSON: "),
            List.of("{\"data\": [[1], [2], [3], [4]]} {}", "unexpected content after the JSON"),
            List.of("{\"data\": [[1], [2], [3], [4]], \"data\": [[5]]}", "\"data\" is given twice"),
            // Python keeps the last columns; the rows would have gone out with the first.
            List.of(
                "{\"columns\": [\"a\"], \"data\": [[1], [2], [3], [4]], \"columns\": [\"b\"]}",
                "\"columns\" is given twice, before and after \"data\": give it once"),
            List.of("{\"data\": []}", "Matrix is not provided"));
    for (List<String> bad : cases) {
      Path input = Files.writeString(temp.resolve("bad.json"), bad.get(0));
      for (Shard part : List.of(new Shard(0, 2), new Shard(1, 2), Shard.WHOLE)) {
        var failure =
            assertThrows(
                InvalidBatchInputException.class,
                () -> run(input, FileFormat.JSON, FileFormat.JSON, part, 2, 1),
                bad.get(0) + ", shard " + part);
        assertTrue(failure.getMessage().contains(bad.get(1)), failure.getMessage());
      }
    }
  }

  /**
   * CSV records end where Jackson's parser ends them, so no row is skipped with the header and no
   * shard starts inside a record: lone carriage returns end records, and a quote opens a quoted
   * value only at the start of a field. The whole run and every sharding of it give the rows that
   * Jackson reads from the whole file.
   */
  @Test
  void csvIsCutWhereJacksonEndsItsRecords() throws Exception {
    List<String> files =
        List.of(
            "id,x\r1,2\r3,4\r", // lone carriage returns, as old Mac exports write
            "id,x\r1,2\r\r3,4",
            "id,height\"\n1,2\n3,4\n", // a quote inside the header's last name
            "id,note\n1,12\" pipe\n2,\"multi\nline\"\n3,x\n",
            "id,note\r\n1,\"a \"\"quoted\"\" \r\nword\"\r\n2,b\r\n",
            "id,note\n1,x\"\n2,y\n3,z\"\n4,w\n5,\"v,\nw\"\"\"\n6,u\n",
            // a record's leading spaces, which Jackson drops: the quote after them opens a value
            "id,note\n1,a\n  \"multi\nline\",2\n3,c\n4,d\n  7, 7\n",
            "x\n\t\nA\nB\nC\nD\n", // a tab is a value, not a blank line
            "\n  \r\nid,x\n1,2\n3,4\n"); // blank lines before the header
    for (int i = 0; i < files.size(); i++) {
      String text = files.get(i);
      Path input = Files.writeString(temp.resolve("tricky-" + i + ".csv"), text);
      List<String> expected = new ArrayList<>();
      try (MappingIterator<List<String>> records =
          CsvMapper.builder()
              .enable(CsvParser.Feature.WRAP_AS_ARRAY)
              .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
              .build()
              .readerForListOf(String.class)
              .readValues(text)) {
        records.nextValue(); // the header
        while (records.hasNextValue()) {
          expected.add(BatchFiles.JSON.writeValueAsString(records.nextValue()));
        }
      }
      String context = "file " + i + ": " + text.replace("\r", "\\r").replace("\n", "\\n");
      assertTrue(expected.size() >= 2, context + ": Jackson reads " + expected);
      List<String> whole =
          BatchFiles.resultRows(
              run(input, FileFormat.CSV, FileFormat.CSV, Shard.WHOLE, 2, 1), FileFormat.CSV);
      assertEquals(expected, whole, context);
      for (int shards = 2; shards <= 5; shards++) {
        assertEquals(
            expected,
            concatenatedShards(
                input, FileFormat.CSV, FileFormat.CSV, shards, 2, 1, new ArrayList<>()),
            context + ", " + shards + " shards");
      }
    }
  }

  private List<String> concatenatedShards(
      Path input,
      FileFormat in,
      FileFormat out,
      int shards,
      int chunk,
      int workers,
      List<Integer> counts)
      throws Exception {
    List<String> concatenated = new ArrayList<>();
    for (int shard = 0; shard < shards; shard++) {
      Path part = run(input, in, out, new Shard(shard, shards), chunk, workers);
      List<String> rows = Files.size(part) == 0 ? List.of() : BatchFiles.resultRows(part, out);
      counts.add(rows.size());
      concatenated.addAll(rows);
    }
    return concatenated;
  }

  /** Shard I of N has rows [floor(n*I/N), floor(n*(I+1)/N)): sizes differ by one at most. */
  private static void assertEvenRowRanges(int rows, List<Integer> counts, String context) {
    int shards = counts.size();
    for (int shard = 0; shard < shards; shard++) {
      long from = (long) rows * shard / shards;
      long to = (long) rows * (shard + 1) / shards;
      assertEquals(to - from, (long) counts.get(shard), context + ": rows of shard " + shard);
    }
    int spread = Collections.max(counts) - Collections.min(counts);
    assertTrue(spread <= 1, context + ": shard sizes " + counts);
  }
}
