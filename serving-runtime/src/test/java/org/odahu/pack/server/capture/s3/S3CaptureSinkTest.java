package org.odahu.pack.server.capture.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.odahu.pack.server.capture.CaptureRecord;
import org.odahu.pack.server.capture.CaptureWriter;

/** Batching, back-off and receipts of {@link S3CaptureSink}, over an in-memory uploader. */
class S3CaptureSinkTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant TIME = Instant.parse("2026-03-04T05:06:07Z");
  private static final Backoff FAST = new Backoff(Duration.ofMillis(5), Duration.ofMillis(20), 4);

  private final AtomicLong clock = new AtomicLong();

  private static S3CaptureOptions options(
      long objectBytes, Duration age, long bufferBytes, Backoff retry, Duration closeWait) {
    return new S3CaptureOptions(
        new S3Location("bucket", "odahu"), null, objectBytes, age, bufferBytes, retry, closeWait);
  }

  private S3CaptureSink sink(S3CaptureOptions options, FakeUploader uploader) {
    return new S3CaptureSink(options, uploader, clock::get, "abc123");
  }

  private static CaptureRecord record(String tag, int n) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("request_id", "r-" + n);
    fields.put("padding", "x".repeat(60));
    return new CaptureRecord(tag, "wine", "1.0", TIME, fields);
  }

  /** Every line of every object, by request id; fails on a line that is not one whole record. */
  private static Map<String, String> lines(FakeUploader uploader) throws Exception {
    Map<String, String> byId = new LinkedHashMap<>();
    for (Map.Entry<String, byte[]> object : uploader.objects.entrySet()) {
      String content = new String(object.getValue(), StandardCharsets.UTF_8);
      assertTrue(content.endsWith("\n"), object.getKey());
      for (String line : content.split("\n", -1)) {
        if (!line.isEmpty()) {
          JsonNode record = JSON.readTree(line);
          byId.put(record.get("request_id").asText(), object.getKey());
        }
      }
    }
    return byId;
  }

  @Test
  void recordsGatherIntoObjectsOfAtMostTheObjectSizeUnderOdahusKeys() throws Exception {
    FakeUploader uploader = FakeUploader.working();
    S3CaptureSink sink =
        sink(options(1000, Duration.ofHours(1), 1 << 20, FAST, Duration.ofSeconds(5)), uploader);
    List<CountingReceipt> receipts = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      CountingReceipt receipt = new CountingReceipt(false);
      receipts.add(receipt);
      sink.accept(record(i % 2 == 0 ? "request_response" : "response_body", i), receipt);
    }
    sink.close();
    assertTrue(receipts.stream().allMatch(r -> r.isStored() && r.settlements.get() == 1));
    assertTrue(uploader.objects.size() >= 6, uploader.objects.keySet().toString());
    for (Map.Entry<String, byte[]> object : uploader.objects.entrySet()) {
      assertTrue(object.getValue().length <= 1000, object.getKey());
      assertTrue(
          object
              .getKey()
              .matches(
                  "odahu/model_log/(request_response|response_body)/wine/1\\.0/"
                      + "year=2026/month=03/day=04/2026030405_abc123-\\d+\\.json"),
          object.getKey());
    }
    Map<String, String> lines = lines(uploader);
    assertEquals(50, lines.size());
    lines.forEach(
        (id, key) -> {
          int n = Integer.parseInt(id.substring(2));
          assertTrue(key.contains(n % 2 == 0 ? "/request_response/" : "/response_body/"), key);
        });
    assertTrue(uploader.closed);
  }

  @Test
  void anObjectWaitsForItsAgeUnlessARecordInItIsAwaited() throws Exception {
    FakeUploader uploader = FakeUploader.working();
    S3CaptureSink sink =
        sink(
            options(1 << 20, Duration.ofSeconds(60), 1 << 20, FAST, Duration.ofSeconds(5)),
            uploader);
    CountingReceipt invoke = new CountingReceipt(false);
    sink.accept(record("request_response", 1), invoke);
    clock.addAndGet(TimeUnit.SECONDS.toNanos(59));
    sink.flush();
    CountingReceipt feedback = new CountingReceipt(true);
    sink.accept(record("feedback", 2), feedback);
    sink.flush();
    assertEquals("stored", feedback.outcome.get(5, TimeUnit.SECONDS));
    assertEquals(1, uploader.objects.size(), "only the awaited record's object is uploaded");
    assertFalse(invoke.outcome.isDone(), "uploaded before its age");
    clock.addAndGet(TimeUnit.SECONDS.toNanos(1));
    sink.flush();
    assertEquals("stored", invoke.outcome.get(5, TimeUnit.SECONDS));
    assertEquals(2, uploader.objects.size());
    sink.close();
  }

  @Test
  void feedbackThroughTheWriterIsStoredWithoutWaitingForTheObjectAge() throws Exception {
    FakeUploader uploader = FakeUploader.working();
    S3CaptureSink sink =
        new S3CaptureSink(
            options(1 << 20, Duration.ofHours(1), 1 << 20, FAST, Duration.ofSeconds(5)), uploader);
    CaptureWriter writer = new CaptureWriter(sink, 100);
    for (int i = 0; i < 5; i++) {
      writer.offer(record("request_response", i));
    }
    writer.store(record("feedback", 5)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(Set.of("r-5"), lines(uploader).keySet());
    writer.close();
    assertEquals(6, lines(uploader).size());
    assertEquals(6, writer.written());
    assertEquals(0, writer.dropped());
  }

  @Test
  void aFailedUploadIsTriedAgainUnderTheSameKeyAndStoredOnce() throws Exception {
    FakeUploader uploader = new FakeUploader(attempt -> attempt <= 2);
    S3CaptureSink sink =
        sink(options(1 << 20, Duration.ofHours(1), 1 << 20, FAST, Duration.ofSeconds(5)), uploader);
    CountingReceipt receipt = new CountingReceipt(true);
    sink.accept(record("feedback", 1), receipt);
    sink.flush();
    assertEquals("stored", receipt.outcome.get(5, TimeUnit.SECONDS));
    assertEquals(3, uploader.attempts.size());
    assertEquals(1, new HashSet<>(uploader.attempts).size(), "one key: " + uploader.attempts);
    sink.close();
    assertEquals(1, receipt.settlements.get());
  }

  @Test
  void anObjectThatNeverUploadsIsLostAfterItsLastAttempt() throws Exception {
    FakeUploader uploader = new FakeUploader(attempt -> true);
    S3CaptureSink sink =
        sink(options(1 << 20, Duration.ofHours(1), 1 << 20, FAST, Duration.ofSeconds(5)), uploader);
    CountingReceipt first = new CountingReceipt(true);
    CountingReceipt second = new CountingReceipt(false);
    sink.accept(record("feedback", 1), first);
    sink.accept(record("feedback", 2), second);
    sink.flush();
    String outcome = first.outcome.get(5, TimeUnit.SECONDS);
    assertTrue(outcome.startsWith("lost: not uploaded after 4 attempt(s)"), outcome);
    assertTrue(outcome.contains("store unavailable"), outcome);
    assertTrue(second.outcome.get(5, TimeUnit.SECONDS).startsWith("lost"));
    assertEquals(4, uploader.attempts.size());
    sink.close();
    assertEquals(1, first.settlements.get());
    assertEquals(1, second.settlements.get());
  }

  /** A store that holds each attempt for long: the attempts' time counts, not only the waits. */
  @Test
  void slowAttemptsAreGivenUpWithinTheBackoffsTotalWait() throws Exception {
    // Each attempt takes 2 s of the sink's clock; the budget is 4.035 s: the waits of 5, 10 and
    // 20 ms (before jitter) and a second per attempt.
    FakeUploader uploader =
        new FakeUploader(
            attempt -> {
              clock.addAndGet(Duration.ofSeconds(2).toNanos());
              return true;
            });
    S3CaptureSink sink =
        sink(options(1 << 20, Duration.ofHours(1), 1 << 20, FAST, Duration.ofSeconds(5)), uploader);
    CountingReceipt receipt = new CountingReceipt(true);
    sink.accept(record("feedback", 1), receipt);
    sink.flush();
    String outcome = receipt.outcome.get(5, TimeUnit.SECONDS);
    // The third attempt ends 6 s after the first began: no further attempt fits.
    assertTrue(outcome.startsWith("lost: not uploaded after 3 attempt(s)"), outcome);
    assertEquals(3, uploader.attempts.size());
    sink.close();
  }

  @Test
  void beyondTheBufferRecordsAreLostAtOnceAndEveryOtherIsStored() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    FakeUploader uploader = new FakeUploader(attempt -> false, gate);
    S3CaptureSink sink =
        sink(options(500, Duration.ofHours(1), 2000, FAST, Duration.ofSeconds(5)), uploader);
    List<CountingReceipt> receipts = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      CountingReceipt receipt = new CountingReceipt(false);
      receipts.add(receipt);
      sink.accept(record("request_response", i), receipt);
    }
    long lostAtOnce = receipts.stream().filter(CountingReceipt::isLost).count();
    assertTrue(lostAtOnce > 50, "lost while uploads hang: " + lostAtOnce);
    assertTrue(
        receipts.stream()
            .filter(CountingReceipt::isLost)
            .allMatch(r -> r.outcome.join().contains("buffer is full")));
    long held = sink.heldBytes();
    assertTrue(held > 1000 && held <= 2000, "the buffer's bytes for the gauge: " + held);
    gate.countDown();
    sink.close();
    assertEquals(0, sink.heldBytes());
    long stored = receipts.stream().filter(CountingReceipt::isStored).count();
    assertEquals(100, stored + lostAtOnce);
    assertEquals(stored, lines(uploader).size());
    assertTrue(receipts.stream().allMatch(r -> r.settlements.get() == 1));
  }

  @Test
  void aRecordLargerThanTheWholeBufferIsLostAsSuchAndTheNextStillFits() throws Exception {
    FakeUploader uploader = FakeUploader.working();
    S3CaptureSink sink =
        sink(options(100, Duration.ofHours(1), 400, FAST, Duration.ofSeconds(5)), uploader);
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("request_id", "big");
    fields.put("padding", "x".repeat(1000));
    CountingReceipt big = new CountingReceipt(false);
    sink.accept(new CaptureRecord("request_response", "wine", "1.0", TIME, fields), big);
    assertEquals("lost: the record is larger than the capture buffer", big.outcome.join());
    CountingReceipt small = new CountingReceipt(false);
    sink.accept(record("request_response", 1), small);
    sink.close();
    assertTrue(small.isStored(), small.outcome.getNow("unsettled"));
  }

  @Test
  void closingRetriesAFailedObjectAtOnceInsteadOfAfterItsBackoff() throws Exception {
    FakeUploader uploader = new FakeUploader(attempt -> attempt == 1);
    Backoff slow = new Backoff(Duration.ofMinutes(10), Duration.ofMinutes(10), 3);
    S3CaptureSink sink =
        sink(
            options(1 << 20, Duration.ofHours(1), 1 << 20, slow, Duration.ofSeconds(10)), uploader);
    CountingReceipt receipt = new CountingReceipt(false);
    sink.accept(record("request_response", 1), receipt);
    sink.accept(record("feedback", 2), new CountingReceipt(true));
    sink.flush();
    waitFor(() -> uploader.attempts.size() >= 1);
    long start = System.nanoTime();
    sink.close();
    assertTrue(
        System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "close waited for back-off");
    assertTrue(receipt.isStored(), receipt.outcome.getNow("unsettled"));
    assertEquals(2, lines(uploader).size());
  }

  @Test
  void closingGivesUpWhatCannotBeUploadedWithinItsWait() throws Exception {
    FakeUploader uploader = new FakeUploader(attempt -> true);
    Backoff patient = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(30), 1000);
    S3CaptureSink sink =
        sink(
            options(1 << 20, Duration.ofHours(1), 1 << 20, patient, Duration.ofMillis(500)),
            uploader);
    CountingReceipt receipt = new CountingReceipt(false);
    sink.accept(record("request_response", 1), receipt);
    long start = System.nanoTime();
    sink.close();
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
    String outcome = receipt.outcome.getNow("unsettled");
    assertTrue(outcome.contains("shutdown wait"), outcome);
    Thread.sleep(200);
    assertEquals(1, receipt.settlements.get());
  }

  @Test
  void twoSinksNeverNameTheirObjectsAlike() throws Exception {
    FakeUploader uploader = FakeUploader.working();
    S3CaptureOptions options =
        options(1 << 20, Duration.ofHours(1), 1 << 20, FAST, Duration.ofSeconds(5));
    for (int replica = 0; replica < 2; replica++) {
      S3CaptureSink sink = new S3CaptureSink(options, uploader);
      for (int i = 0; i < 3; i++) {
        sink.accept(record("feedback", i), new CountingReceipt(true));
        sink.flush();
      }
      sink.close();
    }
    assertEquals(6, uploader.objects.size(), uploader.objects.keySet().toString());
    List<String> instances =
        uploader.objects.keySet().stream()
            .map(key -> key.substring(key.lastIndexOf('_') + 1, key.lastIndexOf('-')))
            .distinct()
            .toList();
    assertEquals(2, instances.size(), instances.toString());
    assertNotEquals(instances.get(0), instances.get(1));
  }

  /**
   * While the store is down, held batches keep receipts for minutes: a receipt must not keep its
   * record (strings, parsed feedback trees) alive, since only the serialised line is counted.
   */
  @Test
  void aRecordWaitingForUploadIsHeldOnlyAsItsLine() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    FakeUploader uploader = new FakeUploader(attempt -> false, gate);
    S3CaptureSink sink =
        new S3CaptureSink(
            options(1 << 20, Duration.ofHours(1), 1 << 20, FAST, Duration.ofSeconds(5)), uploader);
    CaptureWriter writer = new CaptureWriter(sink, 100);
    WeakReference<CaptureRecord> held = storeUnreferenced(writer, record("feedback", 1));
    // A second record, so that nothing of the writer thread's previous batch is left on its stack.
    writer.offer(record("request_response", 2));
    waitFor(() -> sink.heldBytes() > 0 && writer.depth() == 0);
    Thread.sleep(50);
    for (int i = 0; i < 20 && held.get() != null; i++) {
      System.gc();
      Thread.sleep(20);
    }
    assertNull(held.get(), "the held batch keeps the record itself alive");
    gate.countDown();
    writer.close();
    assertEquals(2, writer.written());
  }

  private static WeakReference<CaptureRecord> storeUnreferenced(
      CaptureWriter writer, CaptureRecord record) {
    var unused = writer.store(record);
    return new WeakReference<>(record);
  }

  /** The bound counts the memory a batch holds: its array's capacity, not its lines' length. */
  @Test
  void theBufferCountsEachBatchsArrayCapacity() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    FakeUploader uploader = new FakeUploader(attempt -> false, gate);
    S3CaptureSink sink =
        sink(options(1 << 20, Duration.ofHours(1), 1 << 20, FAST, Duration.ofSeconds(5)), uploader);
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("request_id", "r-1");
    fields.put("padding", "x".repeat(4000));
    CaptureRecord big = new CaptureRecord("request_response", "wine", "1.0", TIME, fields);
    int lines = big.toJsonLine().length + record("request_response", 2).toJsonLine().length;
    sink.accept(big, new CountingReceipt(false));
    sink.accept(record("request_response", 2), new CountingReceipt(false));
    long held = sink.heldBytes();
    assertTrue(lines < 4200 && held >= 8192, "held " + held + " for " + lines + " bytes of lines");
    gate.countDown();
    sink.close();
    assertEquals(0, sink.heldBytes());
  }

  private static void waitFor(java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < until, "timed out");
      Thread.sleep(5);
    }
  }
}
