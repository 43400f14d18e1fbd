package org.odahu.pack.server.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.gppi.testing.CapturedLog;
import org.odahu.pack.server.http.Health;
import org.odahu.pack.server.http.ServerMetrics;
import org.odahu.pack.server.http.ServerState;
import org.odahu.pack.server.testing.InMemoryBackend;

/** The bounded writer in front of a sink: counts, durability answers, draining on close. */
class CaptureWriterTest {
  private static final Instant TEN = Instant.parse("2026-01-01T10:15:00Z");

  @TempDir Path root;

  static CaptureRecord record(String id, Instant time) {
    return new CaptureRecord(CaptureRecord.RESPONSE_BODY, "m", "1", time, Map.of("request_id", id));
  }

  /** A sink that holds records until the test settles them; it can be made to wait first. */
  private static final class HeldSink implements CaptureSink {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch open = new CountDownLatch(1);
    final List<Receipt> receipts = new ArrayList<>();
    final List<String> ids = new ArrayList<>();
    volatile boolean closed;

    @Override
    public void accept(CaptureRecord record, Receipt receipt) {
      entered.countDown();
      try {
        open.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      synchronized (this) {
        ids.add((String) record.fields().get("request_id"));
        receipts.add(receipt);
      }
    }

    @Override
    public void flush() {}

    @Override
    public synchronized void close() {
      receipts.forEach(r -> r.lost("closed"));
      closed = true;
    }

    synchronized Receipt receipt(int i) {
      return receipts.get(i);
    }
  }

  @Test
  void beyondTheBoundRecordsAreDroppedAndCountedAndQueuedOnesReachTheSink() throws Exception {
    HeldSink sink = new HeldSink();
    CaptureWriter writer = new CaptureWriter(sink, 3);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    InMemoryBackend backend = new InMemoryBackend();
    new ServerMetrics(registry).bind(backend, new Health(backend, new ServerState()), writer);
    assertTrue(writer.offer(record("first", TEN)));
    assertTrue(sink.entered.await(10, TimeUnit.SECONDS)); // the sink holds the writer thread
    int accepted = 1;
    try (CapturedLog log = CapturedLog.of(CaptureWriter.class.getName())) {
      for (int i = 0; i < 10; i++) {
        accepted += writer.offer(record("r" + i, TEN)) ? 1 : 0;
      }
      // Said in the log too, once for the seven (not every operator has the metrics).
      assertEquals(1, log.messages().size(), log.messages().toString());
      assertTrue(
          log.messages().get(0).startsWith("Capture record dropped: the capture queue is full"),
          log.messages().toString());
    }
    assertEquals(4, accepted);
    assertEquals(3, writer.depth());
    assertEquals(7, writer.dropped());
    String metrics = registry.scrape();
    assertTrue(metrics.contains("odahu_capture_dropped_records_total 7.0"), metrics);
    assertTrue(metrics.contains("odahu_capture_queue_depth 3.0"), metrics);
    sink.open.countDown();
    awaitReceipts(sink, accepted);
    sink.receipt(0).stored();
    sink.receipt(0).stored(); // a second settlement changes nothing
    sink.receipt(1).lost("test");
    sink.receipt(1).stored();
    assertEquals(1, writer.written());
    assertEquals(8, writer.dropped());
    writer.close();
    assertTrue(sink.closed);
    assertEquals(List.of("first", "r0", "r1", "r2"), sink.ids);
    assertEquals(11, writer.written() + writer.dropped(), "every offer counted once");
    assertTrue(registry.scrape().contains("odahu_capture_written_records_total 1.0"));
  }

  @Test
  void whatTheQueueHoldsIsBoundedInBytesTooBigBodiesBeyondItAreDropped() throws Exception {
    HeldSink sink = new HeldSink();
    CaptureWriter writer = new CaptureWriter(sink, 1000, 5 << 20);
    String body = "x".repeat(1 << 20); // 2 MiB held as a String
    assertTrue(writer.offer(big("first", body)));
    assertTrue(sink.entered.await(10, TimeUnit.SECONDS)); // the sink holds the writer thread
    int accepted = 1;
    for (int i = 0; i < 5; i++) {
      accepted += writer.offer(big("r" + i, body)) ? 1 : 0;
    }
    assertEquals(3, accepted, "the one handed over, then two of ~2 MiB in 5 MiB");
    assertEquals(3, writer.dropped());
    CompletableFuture<Void> refused = writer.store(big("feedback", body)).toCompletableFuture();
    assertTrue(refused.isCompletedExceptionally());
    assertTrue(
        assertThrows(java.util.concurrent.ExecutionException.class, refused::get)
            .getCause()
            .getMessage()
            .contains("the capture queue holds 5 MiB of records already"));
    assertTrue(writer.offer(record("small", TEN)), "small records still fit");
    // Feedback's payload is a parsed JSON tree: its texts count too, however deep.
    com.fasterxml.jackson.databind.node.ObjectNode deep =
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    deep.putObject("a").putArray("b").addObject().putObject("c").put("d", body);
    CaptureRecord feedback =
        new CaptureRecord(CaptureRecord.FEEDBACK, "m", "1", TEN, Map.of("payload", deep));
    assertTrue(feedback.heldBytes() > 2L * body.length(), "counted: " + feedback.heldBytes());
    assertFalse(writer.offer(feedback), "over the bound");
    sink.open.countDown();
    awaitReceipts(sink, accepted + 1);
    // Handed to the sink, the records no longer count: the queue takes big ones again.
    assertTrue(writer.offer(big("later", body)));
    writer.close();
  }

  private static CaptureRecord big(String id, String body) {
    return new CaptureRecord(
        CaptureRecord.REQUEST_RESPONSE,
        "m",
        "1",
        TEN,
        Map.of("request_id", id, "request_content", body));
  }

  @Test
  void storeCompletesOnlyOnceTheSinkHasStoredTheRecord() throws Exception {
    HeldSink sink = new HeldSink();
    sink.open.countDown();
    CaptureWriter writer = new CaptureWriter(sink, 10);
    CompletableFuture<Void> kept = writer.store(record("kept", TEN)).toCompletableFuture();
    CompletableFuture<Void> lost = writer.store(record("lost", TEN)).toCompletableFuture();
    awaitReceipts(sink, 2);
    assertFalse(kept.isDone());
    sink.receipt(0).stored();
    sink.receipt(1).lost("disk full");
    kept.join();
    CompletionException failure =
        org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, lost::join);
    assertInstanceOf(CaptureUnavailableException.class, failure.getCause());
    assertTrue(failure.getCause().getMessage().contains("disk full"));
    writer.close();
    CompletableFuture<Void> late = writer.store(record("late", TEN)).toCompletableFuture();
    assertTrue(late.isCompletedExceptionally(), "closed: refused at once");
    assertEquals(2, writer.dropped());
  }

  @Test
  void aSinkThatThrowsLosesTheRecordNotTheWriter() {
    AtomicInteger accepted = new AtomicInteger();
    CaptureSink sink =
        new CaptureSink() {
          @Override
          public void accept(CaptureRecord record, Receipt receipt) {
            if (record.fields().get("request_id").equals("bad")) {
              throw new IllegalStateException("bad record");
            }
            accepted.incrementAndGet();
            receipt.stored();
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    CaptureWriter writer = new CaptureWriter(sink, 10);
    writer.offer(record("bad", TEN));
    writer.offer(record("good", TEN));
    writer.close();
    assertEquals(1, writer.written());
    assertEquals(1, writer.dropped());
  }

  @Test
  void disabledCaptureKeepsNothingAndRefusesToStore() {
    Capture off = Capture.disabled();
    assertFalse(off.enabled());
    assertFalse(off.offer(record("r", TEN)));
    assertTrue(off.store(record("r", TEN)).toCompletableFuture().isCompletedExceptionally());
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    InMemoryBackend backend = new InMemoryBackend();
    new ServerMetrics(registry).bind(backend, new Health(backend, new ServerState()), off);
    assertFalse(registry.scrape().contains("odahu_capture"), "no capture metrics when off");
  }

  @Test
  void everyRecordOfferedWhileClosingIsWrittenOrCountedAsDropped() throws Exception {
    for (int round = 0; round < 50; round++) {
      Path dir = root.resolve("round-" + round);
      Capture writer = Capture.toDirectory(dir, 1_000_000);
      AtomicInteger attempts = new AtomicInteger();
      AtomicInteger accepted = new AtomicInteger();
      CountDownLatch offering = new CountDownLatch(8);
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        threads.add(
            Thread.ofPlatform()
                .start(
                    () -> {
                      offering.countDown();
                      for (int i = 0; i < 500; i++) {
                        attempts.incrementAndGet();
                        if (writer.offer(record("r", TEN))) {
                          accepted.incrementAndGet();
                        }
                      }
                    }));
      }
      offering.await();
      writer.close();
      for (Thread thread : threads) {
        thread.join();
      }
      assertEquals(accepted.get(), writer.written(), "round " + round);
      assertEquals(attempts.get(), writer.written() + writer.dropped(), "round " + round);
      assertEquals(writer.written(), FileCaptureSinkTest.lines(dir).size(), "round " + round);
    }
  }

  /** A sink that throws loses the record, counted, and says so in the log, once a minute. */
  @Test
  void aSinkThatThrowsIsLoggedAsAnErrorOnceAMinute() throws Exception {
    try (CapturedLog logged = CapturedLog.of(CaptureWriter.class.getName())) {
      CaptureSink failing =
          new CaptureSink() {
            @Override
            public void accept(CaptureRecord record, Receipt receipt) {
              throw new IllegalStateException("sink bug");
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
          };
      CaptureWriter writer = new CaptureWriter(failing, 100);
      for (int i = 0; i < 3; i++) {
        writer.offer(record("r" + i, TEN));
      }
      writer.close();
      assertEquals(3, writer.dropped());
      List<String> errors = logged.messagesAtLeast(java.util.logging.Level.SEVERE);
      assertEquals(1, errors.size(), logged.messages().toString());
      assertTrue(errors.get(0).contains("sink bug"), errors.get(0));
    }
  }

  private static void awaitReceipts(HeldSink sink, int count) throws InterruptedException {
    long until = System.nanoTime() + 10_000_000_000L;
    while (true) {
      synchronized (sink) {
        if (sink.receipts.size() >= count) {
          return;
        }
      }
      assertTrue(System.nanoTime() < until, "the sink did not get " + count + " records");
      Thread.sleep(5);
    }
  }
}
