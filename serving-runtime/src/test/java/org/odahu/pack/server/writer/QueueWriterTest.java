package org.odahu.pack.server.writer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class QueueWriterTest {

  @Test
  void beyondTheBoundOffersAreRefusedAndEveryAcceptedItemIsWrittenInOrderByClose()
      throws Exception {
    CountDownLatch busy = new CountDownLatch(1);
    CountDownLatch slow = new CountDownLatch(1);
    List<Integer> written = new CopyOnWriteArrayList<>();
    QueueWriter<Integer> writer =
        new QueueWriter<>(
            "test-writer",
            3,
            Duration.ZERO,
            batch -> {
              busy.countDown();
              await(slow);
              written.addAll(batch);
            });
    assertTrue(writer.offer(-1));
    assertTrue(busy.await(10, TimeUnit.SECONDS)); // the writer holds -1 and waits
    int accepted = 1;
    for (int i = 0; i < 10; i++) {
      accepted += writer.offer(i) ? 1 : 0;
    }
    assertEquals(4, accepted);
    assertEquals(3, writer.depth());
    slow.countDown();
    assertTrue(writer.close(Duration.ofSeconds(10)));
    assertEquals(accepted, written.size());
    assertEquals(written.stream().sorted().toList(), written);
    assertFalse(writer.offer(99), "closed");
  }

  @Test
  void withALingerItemsThatTrickleInAreWrittenTogether() throws Exception {
    List<List<Integer>> batches = new CopyOnWriteArrayList<>();
    QueueWriter<Integer> writer =
        new QueueWriter<>("test-writer", 100, Duration.ZERO, Duration.ofMillis(300), batches::add);
    for (int i = 0; i < 5; i++) {
      assertTrue(writer.offer(i));
      Thread.sleep(10);
    }
    awaitCondition(() -> !batches.isEmpty());
    assertEquals(List.of(List.of(0, 1, 2, 3, 4)), batches, "one wake-up, one write");
    assertTrue(writer.offer(5));
    assertTrue(writer.close(Duration.ofSeconds(10)));
    assertEquals(List.of(0, 1, 2, 3, 4, 5), batches.stream().flatMap(List::stream).toList());
  }

  @Test
  void aFailingHandlerDoesNotStopTheWriterNotEvenOutOfMemory() throws Exception {
    List<String> written = new CopyOnWriteArrayList<>();
    QueueWriter<String> writer =
        new QueueWriter<>(
            "test-writer",
            10,
            Duration.ZERO,
            batch -> {
              if (batch.contains("boom")) {
                throw new IllegalStateException("boom");
              }
              if (batch.contains("too big")) {
                throw new OutOfMemoryError("Java heap space");
              }
              written.addAll(batch);
            });
    writer.offer("boom");
    awaitCondition(() -> writer.depth() == 0);
    Thread.sleep(20);
    writer.offer("too big");
    awaitCondition(() -> writer.depth() == 0);
    Thread.sleep(20);
    writer.offer("after");
    assertTrue(writer.close(Duration.ofSeconds(10)));
    assertTrue(written.contains("after"), written.toString());
  }

  @Test
  void theHandlerHearsOfQuietPeriodsAndFinishesLast() throws Exception {
    List<String> events = new CopyOnWriteArrayList<>();
    CountDownLatch idle = new CountDownLatch(2);
    QueueWriter<String> writer =
        new QueueWriter<>(
            "test-writer",
            10,
            Duration.ofMillis(10),
            new QueueWriter.Handler<>() {
              @Override
              public void write(List<String> batch) {
                events.addAll(batch);
              }

              @Override
              public void idle() {
                idle.countDown();
              }

              @Override
              public void finish() {
                events.add("finish");
              }
            });
    assertTrue(idle.await(10, TimeUnit.SECONDS));
    writer.offer("last");
    assertTrue(writer.close(Duration.ofSeconds(10)));
    assertEquals(List.of("last", "finish"), events);
  }

  @Test
  void everyItemOfferedWhileClosingIsWrittenOrRefused() throws Exception {
    for (int round = 0; round < 200; round++) {
      AtomicInteger written = new AtomicInteger();
      QueueWriter<Integer> writer =
          new QueueWriter<>(
              "test-writer", 1_000_000, Duration.ZERO, b -> written.addAndGet(b.size()));
      AtomicInteger accepted = new AtomicInteger();
      CountDownLatch offering = new CountDownLatch(4);
      List<Thread> threads = new CopyOnWriteArrayList<>();
      for (int t = 0; t < 4; t++) {
        threads.add(
            Thread.ofPlatform()
                .start(
                    () -> {
                      offering.countDown();
                      for (int i = 0; i < 500; i++) {
                        accepted.addAndGet(writer.offer(i) ? 1 : 0);
                      }
                    }));
      }
      offering.await();
      assertTrue(writer.close(Duration.ofSeconds(10)));
      for (Thread thread : threads) {
        thread.join();
      }
      assertEquals(accepted.get(), written.get(), "round " + round);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void awaitCondition(java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < until, "condition not reached in 10 s");
      Thread.sleep(5);
    }
  }
}
