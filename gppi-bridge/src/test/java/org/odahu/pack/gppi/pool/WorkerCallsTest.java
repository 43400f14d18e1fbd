package org.odahu.pack.gppi.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.odahu.pack.gppi.pool.PoolTests.TIMEOUT;
import static org.odahu.pack.gppi.pool.PoolTests.answer;
import static org.odahu.pack.gppi.pool.PoolTests.await;
import static org.odahu.pack.gppi.pool.PoolTests.failure;
import static org.odahu.pack.gppi.pool.PoolTests.options;
import static org.odahu.pack.gppi.pool.PoolTests.predict;
import static org.odahu.pack.gppi.pool.PoolTests.waitUntil;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.odahu.pack.gppi.BackendListener;
import org.odahu.pack.gppi.ModelPredictionException;
import org.odahu.pack.gppi.ModelSchema;
import org.odahu.pack.gppi.Prediction;
import org.odahu.pack.gppi.PredictionTimeoutException;
import org.odahu.pack.gppi.SelfCheckReport;
import org.odahu.pack.gppi.WorkerCrashedException;
import org.odahu.pack.gppi.runtime.Frames;
import org.odahu.pack.gppi.runtime.Reply;
import org.odahu.pack.gppi.runtime.WorkerDiedException;

/**
 * Calls on a running pool: timeouts, deaths, protocol breaches and the deadline race. No Python.
 */
class WorkerCallsTest {

  /** Answers at once, except {@code die} (the worker exits during the call) and {@code hello}. */
  private static Reply unruly(StandInWorker.Call call) throws WorkerDiedException {
    if (call.command().equals("die")) {
      call.worker().die("exit code 3");
      throw new WorkerDiedException("exit code 3");
    }
    if (call.command().equals("hello")) {
      return new Reply(Frames.HELLO, new byte[0]);
    }
    return call.echo();
  }

  /** A call too large for the worker is never sent: no model call to count in the metrics. */
  @Test
  void aCallRefusedBeforeItIsSentIsNoModelCall() throws Exception {
    List<Integer> calls = new CopyOnWriteArrayList<>();
    BackendListener listener =
        new BackendListener() {
          @Override
          public void onModelCall(int requests, int rows, long callNanos) {
            calls.add(rows);
          }
        };
    StandInFactory factory = new StandInFactory(WorkerCallsTest::unruly);
    try (WorkerPool pool =
        new WorkerPool(
            factory,
            options().maxFrameBytes(1024).listener(listener).build(),
            new FakeClock(),
            false)) {
      await(pool.start());
      assertInstanceOf(
          org.odahu.pack.gppi.InvalidInputException.class,
          failure(predict(pool, "x".repeat(2048))));
      assertEquals(List.of(), calls);
      assertEquals("[[\"small\"]]", answer(predict(pool, "small")));
      assertEquals(List.of(1), calls);
    }
  }

  @Test
  void anAnswerGoesOutWhileTheWorkerRunsTheNextCall() throws Exception {
    StandInFactory factory = new StandInFactory(StandInWorker.WAIT);
    try (WorkerPool pool = new WorkerPool(factory, options().build(), new FakeClock(), false)) {
      await(pool.start());
      StandInWorker worker = factory.next();
      CompletableFuture<Prediction> first = predict(pool, "first");
      StandInWorker.Call firstCall = worker.nextCall();
      CompletableFuture<Prediction> second = predict(pool, "second");
      CompletableFuture<Integer> callsSentWhenAnswered =
          first.thenApply(prediction -> worker.received().size());
      firstCall.answer(firstCall.echo());
      StandInWorker.Call secondCall = worker.nextCall();
      assertEquals("[[\"first\"]]", answer(first));
      assertEquals(2, await(callsSentWhenAnswered), "answered before the next call was sent");
      assertFalse(second.isDone());
      // Nothing queued: the answer goes out at once.
      secondCall.answer(secondCall.echo());
      assertEquals("[[\"second\"]]", answer(second));
    }
  }

  @Test
  void callsOverTheTimeoutFailAndTheWorkerRunningOneIsReplacedWithoutBackOff() throws Exception {
    List<String> lost = new CopyOnWriteArrayList<>();
    BackendListener listener =
        new BackendListener() {
          @Override
          public void onWorkerLost(String worker, String reason) {
            lost.add(reason);
          }
        };
    StandInFactory factory = new StandInFactory(StandInWorker.WAIT);
    FakeClock clock = new FakeClock();
    try (WorkerPool pool =
        new WorkerPool(factory, options().listener(listener).build(), clock, false)) {
      await(pool.start());
      StandInWorker worker = factory.next();
      CompletableFuture<Prediction> running = predict(pool, "slow");
      worker.nextCall();
      CompletableFuture<Prediction> queued = predict(pool, "queued");
      clock.advance(TIMEOUT);
      pool.checkDeadlines();
      assertInstanceOf(PredictionTimeoutException.class, failure(running));
      assertTrue(failure(running).getMessage().startsWith("Prediction timed out after 2 s"));
      assertEquals(
          "Prediction timed out after 2 s waiting for a free worker", failure(queued).getMessage());
      assertEquals(1, worker.kills());
      StandInWorker replacement = factory.next();
      waitUntil(pool::isReady, "the worker was not replaced");
      assertEquals(List.of("killed after exceeding the 2 s timeout"), lost);
      assertEquals(List.of(), clock.sleeps());
      CompletableFuture<Prediction> next = predict(pool, "next");
      StandInWorker.Call call = replacement.nextCall();
      call.answer(call.echo());
      assertEquals("[[\"next\"]]", answer(next));
    }
  }

  @Test
  void aCallPastItsDeadlineIsNotSentBeforeTheDeadlineThreadsPass() throws Exception {
    StandInFactory factory = new StandInFactory(StandInWorker.WAIT);
    FakeClock clock = new FakeClock();
    try (WorkerPool pool = new WorkerPool(factory, options().build(), clock, false)) {
      await(pool.start());
      StandInWorker worker = factory.next();
      CompletableFuture<Prediction> running = predict(pool, "slow");
      StandInWorker.Call first = worker.nextCall();
      CompletableFuture<Prediction> queued = predict(pool, "expired");
      // Both calls are past their deadline; the deadline thread has not looked yet.
      clock.advance(TIMEOUT);
      first.answer(first.echo());
      assertEquals("[[\"slow\"]]", answer(running), "an answer that came is given");
      assertEquals(
          "Prediction timed out after 2 s waiting for a free worker", failure(queued).getMessage());
      CompletableFuture<Prediction> next = predict(pool, "next");
      StandInWorker.Call call = worker.nextCall();
      assertEquals("next", call.command(), "the expired call never reached the worker");
      call.answer(call.echo());
      assertEquals("[[\"next\"]]", answer(next));
      assertEquals(0, worker.kills());
    }
  }

  @Test
  void aKilledWorkerThatHasNotExitedYetNoLongerCountsAsAlive() throws Exception {
    StandInFactory factory = new StandInFactory(StandInWorker.WAIT);
    FakeClock clock = new FakeClock();
    try (WorkerPool pool = new WorkerPool(factory, options().build(), clock, false)) {
      await(pool.start());
      StandInWorker worker = factory.next();
      worker.slowToDie();
      CompletableFuture<Prediction> stuck = predict(pool, "stuck");
      worker.nextCall();
      assertTrue(pool.isReady());
      clock.advance(TIMEOUT);
      pool.checkDeadlines();
      assertEquals(1, worker.kills());
      assertInstanceOf(PredictionTimeoutException.class, failure(stuck));
      // It is still there, but readiness must not count on it.
      assertFalse(pool.isReady(), "a killed worker still counts as alive");
      assertEquals(0, pool.stats().aliveWorkers());
      worker.die("exited at last");
      factory.next();
      waitUntil(pool::isReady, "not ready with the replacement");
    }
  }

  @Test
  void withoutQueueTimeAQueuedCallIsTimedFromWhenAWorkerTakesIt() throws Exception {
    StandInFactory factory = new StandInFactory(StandInWorker.WAIT);
    FakeClock clock = new FakeClock();
    try (WorkerPool pool =
        new WorkerPool(factory, options().timeoutCountsQueue(false).build(), clock, false)) {
      await(pool.start());
      StandInWorker worker = factory.next();
      CompletableFuture<Prediction> running = predict(pool, "slow");
      StandInWorker.Call first = worker.nextCall();
      CompletableFuture<Prediction> queued = predict(pool, "queued");
      clock.advance(TIMEOUT.minusMillis(1));
      pool.checkDeadlines();
      first.answer(first.echo());
      assertEquals("[[\"slow\"]]", answer(running));
      StandInWorker.Call second = worker.nextCall();
      clock.advance(TIMEOUT.minusMillis(1)); // 2 x the limit after it was queued
      pool.checkDeadlines();
      assertFalse(queued.isDone(), "a call was charged for its wait in the queue");
      clock.advance(Duration.ofMillis(1));
      pool.checkDeadlines();
      assertInstanceOf(PredictionTimeoutException.class, failure(queued));
      assertEquals(1, worker.kills());
      assertEquals("queued", second.command());
    }
  }

  @Test
  void aWorkerDyingDuringACallFailsThatCallOnlyAndIsReplaced() throws Exception {
    StandInFactory factory = new StandInFactory(WorkerCallsTest::unruly);
    try (WorkerPool pool = new WorkerPool(factory, options().build(), new FakeClock(), true)) {
      await(pool.start());
      Throwable died = failure(predict(pool, "die"));
      assertInstanceOf(WorkerCrashedException.class, died);
      assertEquals("worker-1 (start 1) died during the prediction: exit code 3", died.getMessage());
      assertEquals("[[\"ok\"]]", answer(predict(pool, "ok")));
      assertEquals(2, factory.starts());
      assertEquals(1, pool.stats().restarts());
    }
  }

  @Test
  void aReplyOfTheWrongTypeCostsTheWorker() throws Exception {
    StandInFactory factory = new StandInFactory(WorkerCallsTest::unruly);
    try (WorkerPool pool = new WorkerPool(factory, options().build(), new FakeClock(), true)) {
      await(pool.start());
      Throwable breach = failure(predict(pool, "hello"));
      assertInstanceOf(WorkerCrashedException.class, breach);
      assertEquals(
          "worker-1 (start 1) broke the worker protocol (reply type 64)", breach.getMessage());
      assertEquals("[[\"ok\"]]", answer(predict(pool, "ok")));
      assertEquals(1, pool.stats().restarts());
    }
  }

  @Test
  void infoAndSelfCheckGetTheirOwnAnswerTypes() {
    StandInFactory factory = new StandInFactory(StandInWorker.ECHO);
    try (WorkerPool pool = new WorkerPool(factory, options().build(), new FakeClock(), true)) {
      ModelSchema schema = await(pool.info());
      assertEquals("x", schema.input().get(0).name());
      assertEquals(new SelfCheckReport(1, 0, -1, List.of()), await(pool.selfCheck()));
    }
  }

  @Test
  void aModelErrorInInfoSaysItWasInInfo() {
    StandInFactory factory =
        new StandInFactory(
            call ->
                call.type == Frames.INFO
                    ? StandInWorker.modelError("no schema today")
                    : call.echo());
    try (WorkerPool pool = new WorkerPool(factory, options().build(), new FakeClock(), true)) {
      ModelPredictionException error =
          assertInstanceOf(ModelPredictionException.class, failure(pool.info()));
      assertEquals("no schema today", error.getMessage());
      assertEquals("info()", error.call());
      assertEquals("[[\"ok\"]]", answer(predict(pool, "ok")));
      assertEquals(0, pool.stats().restarts());
    }
  }

  @Test
  void aWorkerDyingInInfoSaysItWasInInfo() {
    StandInFactory factory =
        new StandInFactory(
            call -> {
              if (call.type == Frames.INFO) {
                call.worker().die("exit code 3");
                throw new WorkerDiedException("exit code 3");
              }
              return call.echo();
            });
    try (WorkerPool pool = new WorkerPool(factory, options().build(), new FakeClock(), true)) {
      WorkerCrashedException died =
          assertInstanceOf(WorkerCrashedException.class, failure(pool.info()));
      assertEquals("worker-1 (start 1) died during info(): exit code 3", died.getMessage());
      assertEquals("info()", died.call());
    }
  }

  /**
   * The deadline thread reads the call in flight, fails its overdue jobs, then kills its worker. If
   * the worker answers in between and the slot hands it the next call, that kill must not land on
   * the next call (which would then answer 504). Failing the first job runs the test's callback on
   * the checking thread, which holds the check right there while the hand-over happens.
   */
  @Test
  void aDeadlineCheckThatSawOneCallNeverKillsTheWorkerOfTheNext() throws Exception {
    StandInFactory factory = new StandInFactory(StandInWorker.WAIT);
    FakeClock clock = new FakeClock();
    try (WorkerPool pool = new WorkerPool(factory, options().build(), clock, false)) {
      await(pool.start());
      StandInWorker worker = factory.next();
      CompletableFuture<Prediction> first = predict(pool, "first");
      StandInWorker.Call firstCall = worker.nextCall();
      CountDownLatch checkHeld = new CountDownLatch(1);
      CountDownLatch checkMayGoOn = new CountDownLatch(1);
      CompletableFuture<Prediction> held =
          first.whenComplete(
              (prediction, error) -> {
                checkHeld.countDown();
                awaitQuietly(checkMayGoOn);
              });
      clock.advance(TIMEOUT);
      Thread check = Thread.ofPlatform().name("test-deadline-check").start(pool::checkDeadlines);
      assertTrue(checkHeld.await(10, TimeUnit.SECONDS), "the check did not fail the first call");

      firstCall.answer(firstCall.echo());
      CompletableFuture<Prediction> second = predict(pool, "second");
      StandInWorker.Call secondCall = worker.nextCall();
      checkMayGoOn.countDown();
      check.join(10_000);
      assertFalse(check.isAlive());

      secondCall.answer(secondCall.echo());
      assertEquals("[[\"second\"]]", answer(second));
      assertEquals(0, worker.kills());
      assertEquals(0, pool.stats().restarts());
      assertInstanceOf(PredictionTimeoutException.class, failure(first));
      assertInstanceOf(PredictionTimeoutException.class, failure(held));
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
