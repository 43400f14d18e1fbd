package org.odahu.pack.gppi.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.odahu.pack.gppi.pool.PoolTests.answer;
import static org.odahu.pack.gppi.pool.PoolTests.await;
import static org.odahu.pack.gppi.pool.PoolTests.failure;
import static org.odahu.pack.gppi.pool.PoolTests.options;
import static org.odahu.pack.gppi.pool.PoolTests.predict;
import static org.odahu.pack.gppi.pool.PoolTests.waitUntil;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.odahu.pack.gppi.BackendListener;
import org.odahu.pack.gppi.BackendNotReadyException;
import org.odahu.pack.gppi.InterpreterNotFoundException;
import org.odahu.pack.gppi.ModelStartupException;
import org.odahu.pack.gppi.Prediction;
import org.odahu.pack.gppi.runtime.Frames;
import org.odahu.pack.gppi.runtime.WorkerFactory;

/** Starting, losing and restarting workers, with stand-in workers and a fake clock: no Python. */
class WorkerPoolTest {

  @Test
  void startCompletesOnceEveryWorkerStartedNotAfterAsManyStarts() throws Exception {
    BlockingQueue<StandInWorker> firstWorkers = new LinkedBlockingQueue<>();
    CountDownLatch secondMayStart = new CountDownLatch(1);
    WorkerFactory factory =
        id -> {
          StandInWorker worker = new StandInWorker("worker-" + id, StandInWorker.ECHO);
          if (id == 1) {
            firstWorkers.add(worker);
          } else {
            awaitLatch(secondMayStart);
          }
          return worker;
        };
    try (WorkerPool pool =
        new WorkerPool(factory, options().workers(2).build(), new FakeClock(), true)) {
      CompletableFuture<Void> started = pool.start().toCompletableFuture();
      try {
        // Worker 1 starts, dies while idle and restarts, twice: once its third start has begun,
        // the pool has long been told of the second.
        next(firstWorkers).die("exit code 1");
        next(firstWorkers).die("exit code 1");
        next(firstWorkers);
        assertFalse(started.isDone(), "start completed while worker 2 was still starting");
        assertFalse(pool.isReady());
      } finally {
        secondMayStart.countDown();
      }
      started.get(10, TimeUnit.SECONDS);
      waitUntil(pool::isReady, "not ready with both workers started");
    }
  }

  @Test
  void startOneCompletesWithTheFirstWorkerWhichServesWhileAnotherNeverFinishesStarting()
      throws Exception {
    CountDownLatch secondMayStart = new CountDownLatch(1);
    WorkerFactory factory =
        id -> {
          if (id == 2) {
            awaitLatch(secondMayStart); // an init() that does not return
          }
          return new StandInWorker("worker-" + id, StandInWorker.ECHO);
        };
    try (WorkerPool pool =
        new WorkerPool(factory, options().workers(2).build(), new FakeClock(), true)) {
      try {
        pool.startOne().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertFalse(pool.start().toCompletableFuture().isDone());
        assertEquals("[[\"ok\"]]", answer(predict(pool, "ok")));
      } finally {
        secondMayStart.countDown();
      }
    }
  }

  @Test
  void theOtherWorkersServeAndKeepThePoolReadyWhileOneIsReplaced() throws Exception {
    BlockingQueue<StandInWorker> started = new LinkedBlockingQueue<>();
    CountDownLatch replacementsMayStart = new CountDownLatch(1);
    AtomicInteger starts = new AtomicInteger();
    WorkerFactory factory =
        id -> {
          if (starts.incrementAndGet() > 2) {
            awaitLatch(replacementsMayStart);
          }
          StandInWorker worker = new StandInWorker("worker-" + id, StandInWorker.ECHO);
          started.add(worker);
          return worker;
        };
    try (WorkerPool pool =
        new WorkerPool(factory, options().workers(2).build(), new FakeClock(), true)) {
      await(pool.start());
      StandInWorker first = next(started);
      StandInWorker second = next(started);
      try {
        first.die("exit code 1");
        waitUntil(() -> pool.stats().aliveWorkers() == 1, "the dead worker still counts as alive");
        assertTrue(pool.isReady(), "one worker of two alive, yet not ready");
        assertEquals(List.of(), pool.notReadyReason().stream().toList());
        assertEquals("[[\"ok\"]]", answer(predict(pool, "ok")));
        assertEquals(1, predictions(second).size());

        second.die("exit code 1");
        waitUntil(() -> !pool.isReady(), "no worker alive, yet ready");
        assertTrue(pool.notReadyReason().orElseThrow().endsWith(" is starting"));
      } finally {
        replacementsMayStart.countDown();
      }
      waitUntil(() -> pool.stats().aliveWorkers() == 2, "the replacements did not start");
      assertTrue(pool.isReady());
    }
  }

  private static List<StandInWorker.Call> predictions(StandInWorker worker) {
    return worker.received().stream().filter(call -> call.type == Frames.PREDICT).toList();
  }

  private static StandInWorker next(BlockingQueue<StandInWorker> workers)
      throws InterruptedException {
    StandInWorker worker = workers.poll(10, TimeUnit.SECONDS);
    assertTrue(worker != null, "no worker started");
    return worker;
  }

  private static void awaitLatch(CountDownLatch latch) {
    try {
      assertTrue(latch.await(30, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aFailedStartFailsTheStartStageKeepsItsReasonAndRefusesCalls() {
    StandInFactory factory = new StandInFactory(StandInWorker.ECHO);
    factory.failStarts(new ModelStartupException("cannot load weights", "Traceback ..."));
    try (WorkerPool pool = new WorkerPool(factory, options().build(), new FakeClock(3), true)) {
      assertEquals("cannot load weights", failure(pool.start()).getMessage());
      assertFalse(pool.isReady());
      assertEquals("cannot load weights", pool.notReadyReason().orElseThrow());
      Throwable refused = failure(predict(pool, "ok"));
      assertInstanceOf(BackendNotReadyException.class, refused);
      assertEquals("The model is not ready: cannot load weights", refused.getMessage());
    }
  }

  @Test
  void aConfigurationErrorStopsEveryWorkerAtOnceAndRefusesQueuedCalls() throws Exception {
    InterpreterNotFoundException missing =
        new InterpreterNotFoundException(
            Path.of("/nope/python"), "No such file or directory", null);
    CountDownLatch mayFail = new CountDownLatch(1);
    AtomicInteger starts = new AtomicInteger();
    WorkerFactory factory =
        id -> {
          starts.incrementAndGet();
          awaitLatch(mayFail);
          throw missing;
        };
    FakeClock clock = new FakeClock();
    try (WorkerPool pool = new WorkerPool(factory, options().workers(2).build(), clock, true)) {
      CompletableFuture<Void> started = pool.start().toCompletableFuture();
      CompletableFuture<Prediction> queued = predict(pool, "queued");
      mayFail.countDown();
      assertSame(missing, failure(started));
      Throwable refused = failure(queued);
      assertInstanceOf(BackendNotReadyException.class, refused);
      String expected =
          "The model is not ready: The Python interpreter /nope/python cannot be run:"
              + " No such file or directory";
      assertEquals(expected, refused.getMessage());
      assertEquals(expected, failure(predict(pool, "later")).getMessage());
      Thread.sleep(50); // a retry, with the fake clock's instant back-off, would take microseconds
      assertEquals(2, starts.get());
      assertEquals(List.of(), clock.sleeps());
      assertFalse(pool.isReady());
    }
  }

  @Test
  void killAnswersTheCallRunningAndTheQueuedOnesAtOnceAsStoppedNotAsACrash() throws Exception {
    StandInFactory factory = new StandInFactory(StandInWorker.WAIT);
    try (WorkerPool pool = new WorkerPool(factory, options().build(), new FakeClock(), true)) {
      await(pool.start());
      CompletableFuture<Prediction> running = predict(pool, "running");
      waitUntil(() -> pool.stats().busyWorkers() == 1, "the call never reached the worker");
      CompletableFuture<Prediction> queued = predict(pool, "queued");
      pool.kill();
      // Left queued, a call waited for close(): a server stopping now had no answer to send.
      for (CompletableFuture<Prediction> call : List.of(queued, running, predict(pool, "later"))) {
        Throwable stopped = failure(call);
        assertInstanceOf(BackendNotReadyException.class, stopped);
        assertEquals("The model backend was stopped before answering", stopped.getMessage());
      }
    }
  }

  @Test
  void failedStartsAreRetriedWithABackOffDoublingUpToItsCap() {
    StandInFactory factory = new StandInFactory(StandInWorker.ECHO);
    factory.failStarts(new ModelStartupException("cannot load weights", ""));
    FakeClock clock = new FakeClock(8);
    try (WorkerPool pool = new WorkerPool(factory, options().build(), clock, true)) {
      failure(pool.start());
      waitUntil(() -> clock.sleeps().size() == 9, "back-off: " + clock.sleeps());
      assertEquals(
          List.of(100L, 200L, 400L, 800L, 1000L, 1000L, 1000L, 1000L, 1000L), clock.sleeps());
      assertEquals(9, factory.starts());
    }
  }

  @Test
  void aStartThatSucceedsAfterFailuresMakesThePoolReady() throws Exception {
    StandInFactory factory = new StandInFactory(StandInWorker.ECHO);
    factory.failStarts(new ModelStartupException("not yet", ""), 2);
    FakeClock clock = new FakeClock();
    try (WorkerPool pool = new WorkerPool(factory, options().build(), clock, true)) {
      assertEquals("not yet", failure(pool.start()).getMessage());
      factory.next();
      waitUntil(pool::isReady, "not ready after a successful start");
      assertEquals(List.of(100L, 200L), clock.sleeps());
      assertEquals(3, factory.starts());
      assertEquals("[[\"ok\"]]", answer(predict(pool, "ok")));
    }
  }

  @Test
  void workersDyingSoonAfterStartBackOffLongerAStableOneStartsOverAtOneStep() throws Exception {
    StandInFactory factory = new StandInFactory(StandInWorker.ECHO);
    FakeClock clock = new FakeClock();
    try (WorkerPool pool = new WorkerPool(factory, options().build(), clock, true)) {
      await(pool.start());
      factory.next().die("exit code 3");
      factory.next().die("exit code 3");
      StandInWorker stable = factory.next();
      waitUntil(pool::isReady, "the third worker was not taken into service");
      clock.advance(Duration.ofSeconds(11));
      stable.die("exit code 3");
      factory.next();
      assertEquals(List.of(100L, 200L, 100L), clock.sleeps());
      waitUntil(pool::isReady, "not ready after the restarts");
      assertEquals(3, pool.stats().restarts());
    }
  }

  /**
   * Workers that start and then die (a request that crashes its worker, retried by its client) back
   * off at most a second between restarts; only starts that fail go up to the pool's cap.
   */
  @Test
  void workersLostAfterStartingWaitAtMostASecondFailedStartsUpToTheCap() throws Exception {
    StandInFactory factory = new StandInFactory(StandInWorker.ECHO);
    FakeClock clock = new FakeClock();
    try (WorkerPool pool =
        new WorkerPool(
            factory, options().maxRestartDelay(Duration.ofSeconds(30)).build(), clock, true)) {
      await(pool.start());
      for (int i = 0; i < 8; i++) {
        factory.next().die("exit code 3");
      }
      factory.next();
      waitUntil(pool::isReady, "not ready after the restarts");
      assertEquals(List.of(100L, 200L, 400L, 800L, 1000L, 1000L, 1000L, 1000L), clock.sleeps());
    }
    StandInFactory failing = new StandInFactory(StandInWorker.ECHO);
    failing.failStarts(new ModelStartupException("cannot load weights", ""));
    FakeClock startClock = new FakeClock(8);
    try (WorkerPool pool =
        new WorkerPool(
            failing, options().maxRestartDelay(Duration.ofSeconds(30)).build(), startClock, true)) {
      failure(pool.start());
      waitUntil(() -> startClock.sleeps().size() == 9, "back-off: " + startClock.sleeps());
      assertEquals(25_600L, startClock.sleeps().get(8));
    }
  }

  /** A listener adding {@code worker: reason} to {@code lost} for each worker lost. */
  private static BackendListener recordingLosses(List<String> lost) {
    return new BackendListener() {
      @Override
      public void onWorkerLost(String worker, String reason) {
        lost.add(worker + ": " + reason);
      }
    };
  }

  @Test
  void aWorkerDyingWhileIdleIsReplacedBeforeTheNextRequestReachesIt() throws Exception {
    List<String> lost = new CopyOnWriteArrayList<>();
    BackendListener listener = recordingLosses(lost);
    StandInFactory factory = new StandInFactory(StandInWorker.ECHO);
    try (WorkerPool pool =
        new WorkerPool(factory, options().listener(listener).build(), new FakeClock(), true)) {
      await(pool.start());
      StandInWorker first = factory.next();
      first.die("killed by signal 9 (SIGKILL)");
      StandInWorker second = factory.next();
      assertEquals("[[\"ok\"]]", answer(predict(pool, "ok")));
      assertEquals(List.of(), predictions(first));
      assertEquals(1, predictions(second).size());
      assertEquals(
          List.of("worker-1 (start 1): it exited while idle (killed by signal 9 (SIGKILL))"), lost);
      assertEquals(1, pool.stats().restarts());
    }
  }

  @Test
  void aRequestThatFindsItsWorkerGoneBeforeTheExitIsNoticedGoesToTheNextWorker() throws Exception {
    List<String> lost = new CopyOnWriteArrayList<>();
    BackendListener listener = recordingLosses(lost);
    StandInFactory factory = new StandInFactory(StandInWorker.ECHO);
    try (WorkerPool pool =
        new WorkerPool(factory, options().listener(listener).build(), new FakeClock(), true)) {
      await(pool.start());
      StandInWorker first = factory.next();
      first.vanish("exit code 9");
      var asked = predict(pool, "ok");
      StandInWorker second = factory.next();
      // Not "died during the prediction": the model never saw the request.
      assertEquals("[[\"ok\"]]", answer(asked));
      assertEquals(List.of(), predictions(first));
      assertEquals(1, predictions(second).size());
      assertEquals(List.of("worker-1 (start 1): it exited while idle (exit code 9)"), lost);
    }
  }
}
