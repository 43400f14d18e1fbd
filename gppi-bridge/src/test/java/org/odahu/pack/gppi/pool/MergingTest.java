package org.odahu.pack.gppi.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.odahu.pack.gppi.pool.PoolTests.answer;
import static org.odahu.pack.gppi.pool.PoolTests.await;
import static org.odahu.pack.gppi.pool.PoolTests.failure;
import static org.odahu.pack.gppi.pool.PoolTests.options;
import static org.odahu.pack.gppi.pool.PoolTests.predict;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.odahu.pack.gppi.BatchingPolicy;
import org.odahu.pack.gppi.ModelPredictionException;
import org.odahu.pack.gppi.Prediction;
import org.odahu.pack.gppi.PredictionTimeoutException;
import org.odahu.pack.gppi.WorkerCrashedException;
import org.odahu.pack.gppi.runtime.Frames;
import org.odahu.pack.gppi.runtime.Reply;
import org.odahu.pack.gppi.runtime.WorkerDiedException;

/**
 * How often the model is called per request. With merging off, exactly once, whatever the call
 * gives: stateful models (ODAHU's counter) and side effects depend on it. With merging on, a merged
 * call that failed is retried request by request, so a request may reach the model twice.
 */
class MergingTest {
  private static final List<String> COMMANDS = List.of("raise", "ok1", "die", "ok2", "ok3");

  /** Waits on {@code block}; a call holding {@code die} kills the worker, {@code raise} raises. */
  private static Reply model(StandInWorker.Call call) throws WorkerDiedException {
    if (call.type != Frames.PREDICT) {
      return call.echo();
    }
    String rows = String.join(",", call.requests());
    if (rows.contains("\"block\"")) {
      return call.awaitAnswer();
    }
    if (rows.contains("\"die\"")) {
      call.worker().die("exit code 3");
      throw new WorkerDiedException("exit code 3");
    }
    return rows.contains("\"raise\"") ? StandInWorker.modelError("refused") : call.echo();
  }

  /** Queues the commands behind a blocking call, then lets them run; returns the calls per row. */
  private static Map<String, Integer> run(BatchingPolicy batching) throws Exception {
    StandInFactory factory = new StandInFactory(MergingTest::model);
    try (WorkerPool pool =
        new WorkerPool(factory, options().batching(batching).build(), new FakeClock(), true)) {
      await(pool.start());
      StandInWorker first = factory.next();
      CompletableFuture<Prediction> blocker = predict(pool, "block");
      StandInWorker.Call blocking = first.nextCall();
      List<CompletableFuture<Prediction>> calls = new ArrayList<>();
      COMMANDS.forEach(command -> calls.add(predict(pool, command)));
      blocking.answer(blocking.echo());
      await(blocker);
      assertInstanceOf(ModelPredictionException.class, failure(calls.get(0)));
      assertEquals("[[\"ok1\"]]", answer(calls.get(1)));
      assertInstanceOf(WorkerCrashedException.class, failure(calls.get(2)));
      assertEquals("[[\"ok2\"]]", answer(calls.get(3)));
      assertEquals("[[\"ok3\"]]", answer(calls.get(4)));
      Map<String, Integer> seen = new TreeMap<>();
      for (StandInWorker worker : factory.all()) {
        for (StandInWorker.Call call : worker.received()) {
          if (call.type == Frames.PREDICT) {
            for (String request : call.requests()) {
              seen.merge(request.replaceAll("[^a-z0-9]", ""), 1, Integer::sum);
            }
          }
        }
      }
      return seen;
    }
  }

  @Test
  void withMergingOffEveryRequestReachesTheModelExactlyOnce() throws Exception {
    Map<String, Integer> seen = run(BatchingPolicy.DISABLED);
    assertEquals(
        Map.of("block", 1, "raise", 1, "ok1", 1, "die", 1, "ok2", 1, "ok3", 1), seen, "calls");
  }

  @Test
  void withMergingOnAFailedMergedCallIsRetriedRequestByRequest() throws Exception {
    Map<String, Integer> seen = run(new BatchingPolicy(true, 1024, Duration.ZERO));
    // One merged call of all five (the worker dies), then each alone.
    assertEquals(
        Map.of("block", 1, "raise", 2, "ok1", 2, "die", 2, "ok2", 2, "ok3", 2), seen, "calls");
  }

  /** Raises for a merged call holding {@code raise}; a call of one {@code hold} waits. */
  private static Reply retryModel(StandInWorker.Call call) throws WorkerDiedException {
    if (call.type != Frames.PREDICT) {
      return call.echo();
    }
    List<String> requests = call.requests();
    if (requests.size() == 1 && requests.get(0).contains("\"hold\"")) {
      return call.awaitAnswer();
    }
    return String.join(",", requests).contains("\"raise\"")
        ? StandInWorker.modelError("refused")
        : call.echo();
  }

  @Test
  void afterAMergedCallRaisesItsRequestsWaitInTheQueueWithinTheirDeadlines() throws Exception {
    FakeClock clock = new FakeClock();
    StandInFactory factory = new StandInFactory(MergingTest::retryModel);
    BatchingPolicy merging = new BatchingPolicy(true, 1024, Duration.ZERO);
    try (WorkerPool pool =
        new WorkerPool(factory, options().batching(merging).build(), clock, false)) {
      await(pool.start());
      StandInWorker worker = factory.next();
      CompletableFuture<Prediction> blocker = predict(pool, "hold");
      StandInWorker.Call blocking = worker.nextCall();
      CompletableFuture<Prediction> raise = predict(pool, "raise");
      CompletableFuture<Prediction> hold = predict(pool, "hold");
      CompletableFuture<Prediction> ok = predict(pool, "ok");
      blocking.answer(blocking.echo());
      await(blocker);
      assertEquals(3, worker.nextCall().requests().size(), "the merged call");
      worker.nextCall(); // raise, alone
      assertInstanceOf(ModelPredictionException.class, failure(raise));
      assertEquals(List.of("[[\"hold\"]]"), worker.nextCall().requests());
      // While hold runs alone, ok waits in the queue, where its deadline applies.
      clock.advance(PoolTests.TIMEOUT.plusSeconds(1));
      pool.checkDeadlines();
      assertTrue(ok.isDone(), "ok timed out in the queue, not behind hold on the slot's thread");
      assertInstanceOf(PredictionTimeoutException.class, failure(ok));
      assertInstanceOf(PredictionTimeoutException.class, failure(hold));
      long okCalls =
          factory.all().stream()
              .flatMap(w -> w.received().stream())
              .filter(call -> call.type == Frames.PREDICT)
              .filter(call -> String.join(",", call.requests()).contains("\"ok\""))
              .count();
      assertEquals(1, okCalls, "ok reached the model only in the merged call");
    }
  }
}
