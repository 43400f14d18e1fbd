package org.odahu.pack.server.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ODAHU's file layout; whole lines on a failing disk are covered by {@code CaptureFullDiskIT}. */
class FileCaptureSinkTest {
  private static final Instant TEN = Instant.parse("2026-01-01T10:15:00Z");
  private static final Instant ELEVEN = Instant.parse("2026-01-01T11:00:01Z");

  @TempDir Path root;

  /** Every line of every file under {@code dir}, in file order. */
  static List<String> lines(Path dir) throws IOException {
    List<String> lines = new ArrayList<>();
    if (!Files.exists(dir)) {
      return lines;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        lines.addAll(Files.readAllLines(file));
      }
    }
    return lines;
  }

  @Test
  void recordsAreJsonLinesInOdahusLayoutWithFluentdsTime() throws Exception {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("request_id", "r\n1");
    fields.put("payload", Map.of());
    try (Capture capture = Capture.toDirectory(root, 100)) {
      capture.offer(new CaptureRecord(CaptureRecord.FEEDBACK, "wine/../x", "1.0", TEN, fields));
    }
    Path day = root.resolve("model_log/feedback/wine_.._x/1.0/year=2026/month=01/day=01");
    assertEquals(
        "{\"request_id\":\"r\\n1\",\"payload\":{},\"time\":\"2026-01-01 10:15:00 +0000\"}\n",
        Files.readString(day.resolve("2026010110_0.json")));
  }

  @Test
  void theFilesOfPastHoursAreClosed() throws Exception {
    try (Capture writer = Capture.toDirectory(root, 100)) {
      writer.offer(CaptureWriterTest.record("r1", TEN));
      await(() -> openFiles().size() == 1);
      Path tenOClock = openFiles().get(0);
      assertTrue(
          tenOClock.getFileName().toString().startsWith("2026010110_"), tenOClock.toString());
      writer.offer(CaptureWriterTest.record("r2", ELEVEN));
      await(() -> openFiles().size() == 1 && !openFiles().contains(tenOClock));
      assertTrue(openFiles().get(0).getFileName().toString().startsWith("2026010111_"));
    }
    assertEquals(
        List.of("r1", "r2"),
        lines(root).stream()
            .map(l -> l.replaceAll(".*\"request_id\":\"([^\"]+)\".*", "$1"))
            .toList());
  }

  @Test
  void aNewRunNeverAppendsToAnEarlierRunsFile() throws Exception {
    for (int run = 0; run < 2; run++) {
      try (Capture writer = Capture.toDirectory(root, 100)) {
        writer.offer(CaptureWriterTest.record("run" + run, TEN));
      }
    }
    Path day = root.resolve("model_log/response_body/m/1/year=2026/month=01/day=01");
    assertTrue(Files.readString(day.resolve("2026010110_0.json")).contains("run0"));
    assertTrue(Files.readString(day.resolve("2026010110_1.json")).contains("run1"));
  }

  /**
   * Records whose directory (or file) is deleted while open go to a new file, not the old inode.
   */
  @Test
  void aDeletedCaptureDirectoryIsCreatedAgain() throws Exception {
    FileCaptureSink sink = new FileCaptureSink(root);
    Outcome first = new Outcome();
    sink.accept(CaptureWriterTest.record("r1", TEN), first);
    sink.flush();
    assertEquals("stored", first.outcome);
    deleteTree(root.resolve("model_log"));
    Outcome second = new Outcome();
    sink.accept(CaptureWriterTest.record("r2", TEN), second);
    sink.flush();
    assertEquals("stored", second.outcome);
    List<String> lines = lines(root);
    assertEquals(1, lines.size(), lines.toString());
    assertTrue(lines.get(0).contains("\"r2\""), lines.toString());
    sink.close();
    assertEquals(1, lines(root).size());
  }

  /** logrotate's copytruncate cuts the open file to 0: the next line starts at 0, no NUL hole. */
  @Test
  void aFileCutShorterFromOutsideIsWrittenAtItsNewEnd() throws Exception {
    FileCaptureSink sink = new FileCaptureSink(root);
    sink.accept(CaptureWriterTest.record("r1", TEN), new Outcome());
    sink.flush();
    Path file;
    try (Stream<Path> files = Files.walk(root)) {
      file = files.filter(Files::isRegularFile).findFirst().orElseThrow();
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(0);
    }
    Outcome second = new Outcome();
    sink.accept(CaptureWriterTest.record("r2", TEN), second);
    sink.close();
    assertEquals("stored", second.outcome);
    String content = Files.readString(file);
    assertFalse(content.contains("\0"), "NUL bytes before the line");
    assertTrue(content.startsWith("{") && content.contains("\"r2\""), content);
  }

  /** A capture directory that cannot be created or written stops the start, saying why. */
  @Test
  void anUnusableCaptureDirectoryIsRefusedAtOnce() throws Exception {
    Path file = Files.writeString(root.resolve("a-file"), "x");
    Map<Path, String> why = new LinkedHashMap<>();
    why.put(file, "it is a file, not a directory");
    why.put(file.resolve("below"), file + " is a file, not a directory");
    why.put(
        Path.of("/proc/odahu-capture"),
        "no such directory, and it cannot be created in /proc (the file system refuses new files"
            + " there)");
    why.put(
        Path.of("/proc"),
        "the directory does not take new files (the file system refuses new files there)");
    for (Map.Entry<Path, String> dir : why.entrySet()) {
      UncheckedIOException e =
          assertThrows(
              UncheckedIOException.class, () -> Capture.toDirectory(dir.getKey(), 10).close());
      assertEquals(
          "Cannot write capture records to " + dir.getKey() + " (--capture-dir): " + dir.getValue(),
          e.getMessage());
    }
    try (Stream<Path> left = Files.list(root)) {
      assertEquals(List.of(file), left.toList(), "no probe file is left behind");
    }
    Capture.toDirectory(root.resolve("new/dir"), 10).close();
    assertTrue(Files.isDirectory(root.resolve("new/dir")));
    try (Stream<Path> left = Files.list(root.resolve("new/dir"))) {
      assertEquals(0, left.count(), "no probe file is left behind");
    }
  }

  /**
   * A large record is written whole, a chunk at a time through the sink's small direct buffer
   * (handing the heap buffer to the channel would leave a JDK temporary direct buffer of its size
   * cached for the writer thread's life; that cache is native memory no test can see), and the
   * file's heap buffer goes back to its usual size once written.
   */
  @Test
  void aLargeRecordIsWrittenInChunksAndItsBufferIsNotKept() throws Exception {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("request_id", "big");
    fields.put("payload", "0123456789abcdef".repeat(1 << 19) + "!");
    CaptureRecord big = new CaptureRecord(CaptureRecord.RESPONSE_BODY, "m", "1", TEN, fields);
    byte[] line = big.toJsonLine();
    CaptureLayout.Place place = new CaptureLayout.Place(root, "2026010110");
    CaptureFile file = new CaptureFile(place, 0, ByteBuffer.allocateDirect(1 << 16));
    Outcome first = new Outcome();
    file.append(line, first);
    assertTrue(file.bufferCapacity() > 8 << 20);
    assertEquals(null, file.write());
    assertEquals("stored", first.outcome);
    assertEquals(1 << 16, file.bufferCapacity(), "the large record's buffer is not kept");
    Outcome second = new Outcome();
    file.append(line, second);
    assertEquals(null, file.close());
    assertEquals("stored", second.outcome);
    byte[] written = Files.readAllBytes(place.file(0));
    byte[] expected = new byte[2 * line.length];
    System.arraycopy(line, 0, expected, 0, line.length);
    System.arraycopy(line, 0, expected, line.length, line.length);
    assertTrue(java.util.Arrays.equals(expected, written), "both lines, byte for byte");
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  /** A receipt that remembers how it was settled. */
  static final class Outcome implements CaptureSink.Receipt {
    String outcome = "unsettled";

    @Override
    public void stored() {
      outcome = "stored";
    }

    @Override
    public void lost(String reason) {
      outcome = "lost: " + reason;
    }
  }

  /** The files under the root this process has open. */
  private List<Path> openFiles() {
    List<Path> open = new ArrayList<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : fds.toList()) {
        try {
          Path target = Files.readSymbolicLink(fd);
          if (target.startsWith(root.toRealPath())) {
            open.add(target);
          }
        } catch (IOException e) {
          // The descriptor was closed while listing.
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return open;
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < until, "condition not reached in 10 s");
      Thread.sleep(5);
    }
  }
}
