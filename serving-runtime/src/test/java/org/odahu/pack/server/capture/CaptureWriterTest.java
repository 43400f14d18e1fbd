package org.odahu.pack.server.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.server.http.ServerMetrics;
import org.odahu.pack.server.testing.InMemoryBackend;

class CaptureWriterTest {
  private static final Instant TEN = Instant.parse("2026-01-01T10:15:00Z");
  private static final Instant ELEVEN = Instant.parse("2026-01-01T11:00:01Z");

  @TempDir Path root;

  private static CaptureRecord record(String id, Instant time) {
    return new CaptureRecord(CaptureRecord.RESPONSE_BODY, "m", "1", time, Map.of("request_id", id));
  }

  /** The request ids written, in file order. */
  private List<String> writtenIds() throws IOException {
    List<String> ids = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        for (String line : Files.readAllLines(file)) {
          ids.add(line.replaceAll(".*\"request_id\":\"([^\"]+)\".*", "$1"));
        }
      }
    }
    return ids;
  }

  @Test
  void beyondTheBoundOffersAreDroppedAndCountedAndAcceptedOnesAreAllWritten() throws Exception {
    CountDownLatch diskIsSlow = new CountDownLatch(1);
    CaptureWriter writer =
        new CaptureWriter(
            root,
            3,
            task ->
                Thread.ofPlatform()
                    .daemon()
                    .unstarted(
                        () -> {
                          awaitUninterruptibly(diskIsSlow);
                          task.run();
                        }));
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new ServerMetrics(registry).bind(new InMemoryBackend(), writer);
    List<String> accepted = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      if (writer.offer(record("r" + i, TEN))) {
        accepted.add("r" + i);
      }
    }
    assertEquals(List.of("r0", "r1", "r2"), accepted);
    assertEquals(7, writer.dropped());
    String metrics = registry.scrape();
    assertTrue(metrics.contains("odahu_capture_dropped_records_total 7.0"), metrics);
    assertTrue(metrics.contains("odahu_capture_queue_depth 3.0"), metrics);
    diskIsSlow.countDown();
    writer.close();
    assertEquals(3, writer.written());
    assertEquals(accepted, writtenIds());
    assertTrue(registry.scrape().contains("odahu_capture_written_records_total 3.0"));
  }

  @Test
  void theFilesOfPastHoursAreClosed() throws Exception {
    try (CaptureWriter writer = new CaptureWriter(root, 100)) {
      writer.offer(record("r1", TEN));
      await(() -> openFiles().size() == 1);
      Path tenOClock = openFiles().get(0);
      assertTrue(
          tenOClock.getFileName().toString().startsWith("2026010110_"), tenOClock.toString());
      writer.offer(record("r2", ELEVEN));
      await(() -> openFiles().size() == 1 && !openFiles().contains(tenOClock));
      assertTrue(openFiles().get(0).getFileName().toString().startsWith("2026010111_"));
    }
    assertEquals(List.of("r1", "r2"), writtenIds());
  }

  @Test
  void everyRecordOfferedWhileClosingIsWrittenOrCountedAsDropped() throws Exception {
    for (int round = 0; round < 300; round++) {
      Path dir = root.resolve("round-" + round);
      CaptureWriter writer = new CaptureWriter(dir, 1_000_000);
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
      throw new java.io.UncheckedIOException(e);
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

  private static void awaitUninterruptibly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
