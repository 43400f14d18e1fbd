package org.odahu.pack.gppi.pool;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.odahu.pack.gppi.BackendOptions;
import org.odahu.pack.gppi.runtime.Reply;
import org.odahu.pack.gppi.runtime.Worker;
import org.odahu.pack.gppi.runtime.WorkerDiedException;
import org.odahu.pack.gppi.runtime.WorkerFactory;

/** The pool's own bookkeeping, with workers that are only stand-ins. */
class WorkerPoolTest {

  /** A worker that never answers; it dies when killed. */
  private static final class StandInWorker implements Worker {
    private final CompletableFuture<String> exited = new CompletableFuture<>();

    @Override
    public String name() {
      return "stand-in";
    }

    @Override
    public Reply call(int type, byte[] payload) throws WorkerDiedException {
      throw new WorkerDiedException("stand-ins do not answer");
    }

    @Override
    public void kill() {
      exited.complete("killed");
    }

    @Override
    public void close(Duration grace) {
      kill();
    }

    @Override
    public CompletionStage<String> exited() {
      return exited;
    }
  }

  @Test
  void startCompletesOnceEveryWorkerStartedNotAfterAsManyStarts() throws Exception {
    BlockingQueue<StandInWorker> firstWorkers = new LinkedBlockingQueue<>();
    CountDownLatch secondMayStart = new CountDownLatch(1);
    WorkerFactory factory =
        id -> {
          StandInWorker worker = new StandInWorker();
          if (id == 1) {
            firstWorkers.add(worker);
          } else {
            await(secondMayStart);
          }
          return worker;
        };
    try (WorkerPool pool = new WorkerPool(factory, BackendOptions.builder().workers(2).build())) {
      CompletableFuture<Void> started = pool.start().toCompletableFuture();
      try {
        // Worker 1 starts, dies while idle and restarts, twice: once its third start has begun,
        // the pool has long been told of the second.
        next(firstWorkers).kill();
        next(firstWorkers).kill();
        next(firstWorkers);
        assertFalse(started.isDone(), "start completed while worker 2 was still starting");
        assertFalse(pool.isReady());
      } finally {
        secondMayStart.countDown();
      }
      started.get(10, TimeUnit.SECONDS);
      assertTrue(pool.isReady());
    }
  }

  private static StandInWorker next(BlockingQueue<StandInWorker> workers)
      throws InterruptedException {
    StandInWorker worker = workers.poll(10, TimeUnit.SECONDS);
    assertNotNull(worker, "no worker started");
    return worker;
  }

  private static void await(CountDownLatch latch) {
    try {
      assertTrue(latch.await(30, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
