package org.odahu.pack.server.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.gppi.testing.CapturedLog;

/**
 * Capture when the file system refuses writes part-way, made real without root: a child JVM whose
 * file size limit ({@code RLIMIT_FSIZE}, set with {@code prlimit}) stops its capture file
 * mid-record exactly as a full disk does. The server on a full tmpfs is {@code
 * CaptureOnFullTmpfsIT}.
 */
class CaptureFullDiskIT {
  static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  @TempDir Path temp;

  /** Stores records of varied sizes, half of them waiting for durability; prints the outcome. */
  public static final class Probe {
    private Probe() {}

    public static void main(String[] args) throws Exception {
      Path root = Path.of(args[0]);
      int records = Integer.parseInt(args[1]);
      Capture capture = Capture.toDirectory(root, records);
      List<CompletableFuture<Void>> stored = new ArrayList<>();
      for (int i = 0; i < records; i++) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("request_id", "r" + i);
        fields.put("payload", "x".repeat(100 + (i * 7919) % 3000));
        CaptureRecord record =
            new CaptureRecord(CaptureRecord.FEEDBACK, "m", "1", Instant.now(), fields);
        if (i % 2 == 0) {
          stored.add(capture.store(record).toCompletableFuture());
        } else {
          capture.offer(record);
        }
        if (i % 50 == 0) {
          Thread.sleep(1); // several batches, so that writes fail at many different places
        }
      }
      capture.close();
      StringBuilder out = new StringBuilder();
      out.append("written=").append(capture.written()).append('\n');
      out.append("dropped=").append(capture.dropped()).append('\n');
      for (int i = 0; i < stored.size(); i++) {
        boolean ok = !stored.get(i).isCompletedExceptionally() && stored.get(i).isDone();
        out.append(ok ? "acknowledged=" : "refused=").append("r").append(2 * i).append('\n');
      }
      System.out.print(out);
    }
  }

  /**
   * Writes to two files, one filled to the limit and one with room, batch by batch, and prints what
   * the sink logged in each: {@code log=<message>} lines, then {@code log=-} at its end.
   */
  public static final class RecoveryProbe {
    private static final int LIMIT = 100_000;

    private RecoveryProbe() {}

    public static void main(String[] args) throws Exception {
      Path root = Path.of(args[0]);
      try (CapturedLog logged = CapturedLog.of(FileCaptureSink.class.getName())) {
        FileCaptureSink sink = new FileCaptureSink(root);
        // Leaves "full" less room than its next record needs.
        batch(sink, logged, record("full", LIMIT - 200));
        for (int i = 0; i < 2; i++) {
          batch(sink, logged, record("full", 300), record("room", 300));
        }
        batch(sink, logged, record("room", 300));
        batch(sink, logged, record("full", 300));
        sink.close();
      }
    }

    private static void batch(FileCaptureSink sink, CapturedLog logged, CaptureRecord... records) {
      int before = logged.messages().size();
      for (CaptureRecord record : records) {
        sink.accept(record, new FileCaptureSinkTest.Outcome());
      }
      sink.flush();
      List<String> messages = logged.messages();
      messages.subList(before, messages.size()).forEach(m -> System.out.println("log=" + m));
      System.out.println("log=-");
    }

    private static CaptureRecord record(String model, int payload) {
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("payload", "x".repeat(payload));
      return new CaptureRecord(
          CaptureRecord.FEEDBACK, model, "1", Instant.parse("2026-01-01T10:00:00Z"), fields);
    }
  }

  /**
   * A file that still has room is no sign that the disk takes records again while another file's
   * writes fail: only a batch written without a failure is, and the failure after it is logged at
   * once. The warnings name the capture directory.
   */
  @Test
  void recoveryIsABatchWithoutFailuresAndTheNextFailureIsLoggedAtOnce() throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/prlimit")), "prlimit (util-linux) is not installed");
    Path root = temp.resolve("capture");
    Process process =
        new ProcessBuilder(
                "/usr/bin/prlimit",
                "--fsize=" + RecoveryProbe.LIMIT,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:-UsePerfData",
                "-cp",
                System.getProperty("java.class.path"),
                RecoveryProbe.class.getName(),
                root.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(2, TimeUnit.MINUTES));
    assertEquals(0, process.exitValue(), out);
    List<String> logged =
        out.lines().filter(l -> l.startsWith("log=")).map(l -> l.substring(4)).toList();
    String failure =
        "Cannot write capture records to "
            + root
            + " (1 failed write(s)); records that do not fit are dropped and counted: File too"
            + " large";
    String again = "Capture records are written to " + root + " again";
    assertEquals(List.of("-", failure, "-", "-", again, "-", failure, "-"), logged, out);
  }

  @Test
  void aWriteStoppedPartWayLeavesOnlyWholeRecordsAndExactCounts() throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/prlimit")), "prlimit (util-linux) is not installed");
    Path root = temp.resolve("capture");
    int records = 2000;
    Process process =
        new ProcessBuilder(
                "/usr/bin/prlimit",
                "--fsize=300000",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:-UsePerfData",
                "-cp",
                System.getProperty("java.class.path"),
                Probe.class.getName(),
                root.toString(),
                Integer.toString(records))
            .redirectErrorStream(true)
            .start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(2, TimeUnit.MINUTES));
    assertEquals(0, process.exitValue(), out);
    Map<String, List<String>> outcome = new LinkedHashMap<>();
    for (String line : out.lines().toList()) {
      int equals = line.indexOf('=');
      if (equals > 0) {
        outcome
            .computeIfAbsent(line.substring(0, equals), k -> new ArrayList<>())
            .add(line.substring(equals + 1));
      }
    }
    long written = Long.parseLong(outcome.get("written").get(0));
    long dropped = Long.parseLong(outcome.get("dropped").get(0));
    assertEquals(records, written + dropped, out);
    assertTrue(written > 0 && dropped > 0, "the limit must cut the run: " + out);
    Set<String> onDisk = requestIds(root);
    assertEquals(written, onDisk.size(), "records read back");
    assertTrue(onDisk.containsAll(outcome.get("acknowledged")), "an acknowledged record is lost");
    for (String refused : outcome.get("refused")) {
      assertTrue(!onDisk.contains(refused), refused + " was refused but is on disk");
    }
  }

  /**
   * The request ids of every record under {@code root}, failing on any line that is not one whole
   * JSON record or on a record read twice.
   */
  static Set<String> requestIds(Path root) throws IOException {
    Set<String> ids = new HashSet<>();
    for (String line : FileCaptureSinkTest.lines(root)) {
      JsonNode record = JSON.readTree(line);
      assertTrue(record.isObject() && record.has("request_id") && record.has("time"), line);
      assertTrue(ids.add(record.get("request_id").asText()), "twice: " + line);
    }
    return ids;
  }
}
