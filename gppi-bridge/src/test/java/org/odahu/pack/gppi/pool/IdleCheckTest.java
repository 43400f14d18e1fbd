package org.odahu.pack.gppi.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.odahu.pack.gppi.pool.PoolTests.TIMEOUT;
import static org.odahu.pack.gppi.pool.PoolTests.answer;
import static org.odahu.pack.gppi.pool.PoolTests.await;
import static org.odahu.pack.gppi.pool.PoolTests.options;
import static org.odahu.pack.gppi.pool.PoolTests.predict;
import static org.odahu.pack.gppi.pool.PoolTests.waitUntil;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.odahu.pack.gppi.BackendListener;
import org.odahu.pack.gppi.BackendOptions;
import org.odahu.pack.gppi.runtime.Frames;
import org.odahu.pack.gppi.runtime.WorkerFactory;

/** Idle workers are pinged; one that does not answer in time is wedged and replaced. No Python. */
class IdleCheckTest {
  private static final Duration PING = Duration.ofMillis(20);

  @Test
  void anIdleWorkerAnsweringPingsStaysAndIsNotCountedBusy() throws Exception {
    StandInFactory factory = new StandInFactory(StandInWorker.ECHO);
    try (WorkerPool pool =
        new WorkerPool(factory, options().pingInterval(PING).build(), new FakeClock(), true)) {
      await(pool.start());
      StandInWorker worker = factory.next();
      for (int i = 0; i < 3; i++) {
        assertEquals(Frames.PING, worker.nextCall().type);
      }
      assertTrue(pool.isReady());
      assertEquals(0, pool.stats().busyWorkers());
      assertEquals(0, pool.stats().restarts());
      assertEquals("[[\"ok\"]]", answer(predict(pool, "ok")));
    }
  }

  @Test
  void aWorkerThatDoesNotAnswerAPingInTimeDropsReadinessAndIsReplaced() throws Exception {
    List<String> lost = new CopyOnWriteArrayList<>();
    BackendListener listener =
        new BackendListener() {
          @Override
          public void onWorkerLost(String worker, String reason) {
            lost.add(reason);
          }
        };
    BlockingQueue<StandInWorker> started = new LinkedBlockingQueue<>();
    CountDownLatch replacementMayStart = new CountDownLatch(1);
    AtomicInteger starts = new AtomicInteger();
    WorkerFactory factory =
        id -> {
          // The first worker is wedged: it never answers. Its replacement waits for the test.
          boolean first = starts.getAndIncrement() == 0;
          if (!first) {
            awaitQuietly(replacementMayStart);
          }
          StandInWorker worker =
              new StandInWorker("worker-" + id, first ? StandInWorker.WAIT : StandInWorker.ECHO);
          started.add(worker);
          return worker;
        };
    FakeClock clock = new FakeClock();
    BackendOptions.Builder builder = options().pingInterval(PING).listener(listener);
    try (WorkerPool pool = new WorkerPool(factory, builder.build(), clock, false)) {
      await(pool.start());
      StandInWorker wedged = started.poll(10, TimeUnit.SECONDS);
      assertEquals(Frames.PING, wedged.nextCall().type);
      pool.checkDeadlines();
      assertTrue(pool.isReady(), "a ping within its deadline is not a wedge");
      // Slower than the ping interval (a thread of the model holding the GIL) is not a wedge
      // either:
      // a ping has the call timeout, as gunicorn's --timeout let its workers be silent.
      clock.advance(PING.multipliedBy(10));
      pool.checkDeadlines();
      assertEquals(0, wedged.kills(), "killed after ten ping intervals, within the call timeout");
      assertTrue(pool.isReady());

      clock.advance(TIMEOUT);
      pool.checkDeadlines();
      assertTrue(wedged.kills() > 0, "the wedged worker was not killed");
      assertFalse(pool.isReady());
      replacementMayStart.countDown();
      waitUntil(pool::isReady, "the wedged worker was not replaced");
      assertEquals(List.of("it did not answer a ping within 2 s (stopped or wedged)"), lost);
      assertEquals("[[\"ok\"]]", answer(predict(pool, "ok")));
    }
  }

  @Test
  void closingDoesNotWaitForAWorkerStuckInAPing() throws Exception {
    StandInFactory factory = new StandInFactory(StandInWorker.WAIT);
    WorkerPool pool =
        new WorkerPool(factory, options().pingInterval(PING).build(), new FakeClock(), false);
    await(pool.start());
    StandInWorker wedged = factory.next();
    assertEquals(Frames.PING, wedged.nextCall().type);
    long start = System.nanoTime();
    pool.close();
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    // Without the deadline thread, the slot would be joined for the timeout plus 5 s (7 s).
    assertTrue(millis < 3_000, "close took " + millis + " ms");
    assertTrue(wedged.kills() > 0);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
