package org.odahu.pack.gppi.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.odahu.pack.gppi.BackendNotReadyException;
import org.odahu.pack.gppi.BatchingPolicy;
import org.odahu.pack.gppi.OutputStyle;
import org.odahu.pack.gppi.QueueFullException;
import org.odahu.pack.gppi.testing.Inputs;

class JobQueueTest {
  private static final BatchingPolicy FOUR_ROWS = new BatchingPolicy(true, 4, Duration.ZERO);

  private static boolean never() {
    return false;
  }

  private static final long FOREVER = Long.MAX_VALUE;

  private static List<? extends Job<?>> take(JobQueue queue, BatchingPolicy policy, boolean merge)
      throws InterruptedException {
    Batch batch = queue.takeBatch(policy, merge, JobQueueTest::never, FOREVER, () -> {});
    return batch == null ? null : batch.jobs();
  }

  private static PredictionJob job(String columns, int rows) {
    StringBuilder data = new StringBuilder("[");
    for (int i = 0; i < rows; i++) {
      data.append(i == 0 ? "" : ",").append("[1,2]");
    }
    String body =
        "{" + (columns == null ? "" : "\"columns\":" + columns + ",") + "\"data\":" + data + "]}";
    return new PredictionJob(
        Inputs.body(body), OutputStyle.COMPACT, System.nanoTime(), 60_000_000_000L);
  }

  @Test
  void mergesCompatibleJobsUpToTheRowLimitAndLeavesTheRestInOrder() throws Exception {
    JobQueue queue = new JobQueue(100);
    PredictionJob a = job("[\"x\",\"y\"]", 1);
    PredictionJob other = job("[\"y\",\"x\"]", 1);
    PredictionJob b = job("[\"x\",\"y\"]", 2);
    PredictionJob tooBig = job("[\"x\",\"y\"]", 2);
    PredictionJob c = job("[\"x\",\"y\"]", 1);
    for (PredictionJob job : List.of(a, other, b, tooBig, c)) {
      queue.add(job);
    }
    assertEquals(List.of(a, b, c), take(queue, FOUR_ROWS, true));
    assertEquals(List.of(other), take(queue, FOUR_ROWS, true));
    assertEquals(List.of(tooBig), take(queue, FOUR_ROWS, true));
  }

  @Test
  void noMergingWhenSwitchedOffOrForDifferentStyles() throws Exception {
    JobQueue queue = new JobQueue(100);
    PredictionJob a = job(null, 1);
    PredictionJob b = job(null, 1);
    PredictionJob python =
        new PredictionJob(
            Inputs.body("{\"data\":[[1,2]]}"),
            OutputStyle.PYTHON,
            System.nanoTime(),
            60_000_000_000L);
    queue.add(a);
    queue.add(python);
    queue.add(b);
    assertEquals(List.of(a), take(queue, FOUR_ROWS, false));
    assertEquals(List.of(python), take(queue, FOUR_ROWS, true));
    assertEquals(List.of(b), take(queue, FOUR_ROWS, true));
  }

  @Test
  void retriedJobsGoFirstAndAlone() throws Exception {
    JobQueue queue = new JobQueue(100);
    PredictionJob waiting = job(null, 1);
    queue.add(waiting);
    PredictionJob first = job(null, 1);
    PredictionJob second = job(null, 1);
    queue.retryAlone(List.of(first, second));
    assertEquals(List.of(first), take(queue, FOUR_ROWS, true));
    assertEquals(List.of(second), take(queue, FOUR_ROWS, true));
    assertEquals(List.of(waiting), take(queue, FOUR_ROWS, true));
  }

  @Test
  void returnedJobsGoFirstInOrderAndKeepMerging() throws Exception {
    JobQueue queue = new JobQueue(100);
    PredictionJob waiting = job(null, 1);
    queue.add(waiting);
    PredictionJob first = job(null, 1);
    PredictionJob second = job(null, 1);
    queue.putFirst(List.of(first, second));
    assertEquals(List.of(first, second, waiting), take(queue, FOUR_ROWS, true));
  }

  /** A thread taking one batch; returns once it waits for a call. */
  private static CompletableFuture<List<? extends Job<?>>> idleTaker(JobQueue queue)
      throws InterruptedException {
    CompletableFuture<List<? extends Job<?>>> taken = new CompletableFuture<>();
    Thread taker =
        Thread.ofPlatform()
            .daemon()
            .start(
                () -> {
                  try {
                    taken.complete(take(queue, FOUR_ROWS, false));
                  } catch (Throwable e) {
                    taken.completeExceptionally(e);
                  }
                });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (taker.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertEquals(Thread.State.TIMED_WAITING, taker.getState(), "the taker waits for a call");
    return taken;
  }

  @Test
  void theTakerThatWentIdleLastGetsTheNextCall() throws Exception {
    JobQueue queue = new JobQueue(10);
    CompletableFuture<List<? extends Job<?>>> earlier = idleTaker(queue);
    CompletableFuture<List<? extends Job<?>>> later = idleTaker(queue);

    PredictionJob call = job(null, 1);
    queue.add(call);
    assertEquals(List.of(call), later.get(10, TimeUnit.SECONDS));
    assertFalse(earlier.isDone());

    PredictionJob next = job(null, 1);
    queue.add(next);
    assertEquals(List.of(next), earlier.get(10, TimeUnit.SECONDS));
  }

  @Test
  void aWaitingTakerGivesUpWhenWokenAndItsConditionHolds() throws Exception {
    JobQueue queue = new JobQueue(10);
    AtomicBoolean workerDied = new AtomicBoolean();
    CompletableFuture<List<? extends Job<?>>> taken =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return queue.takeBatch(FOUR_ROWS, true, workerDied::get, FOREVER, () -> {}).jobs();
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    workerDied.set(true);
    queue.wakeTakers();
    assertEquals(List.of(), taken.get(10, TimeUnit.SECONDS));
  }

  @Test
  void waitsForMoreWithADelay() throws Exception {
    JobQueue queue = new JobQueue(100);
    PredictionJob a = job(null, 1);
    PredictionJob late = job(null, 1);
    queue.add(a);
    Thread adder =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    Thread.sleep(50);
                    queue.add(late);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    List<? extends Job<?>> batch =
        take(queue, new BatchingPolicy(true, 2, Duration.ofSeconds(5)), true);
    adder.join();
    assertEquals(List.of(a, late), batch);
  }

  @Test
  void anIdleTakerGetsNothingAfterItsIdleTime() throws Exception {
    JobQueue queue = new JobQueue(10);
    assertEquals(
        List.of(),
        queue.takeBatch(FOUR_ROWS, true, JobQueueTest::never, 1_000_000, () -> {}).jobs());
  }

  @Test
  void runsItsBeforeWaitingTaskOnceBeforeWaitingAndNeverWhenABatchIsThere() throws Exception {
    JobQueue queue = new JobQueue(10);
    AtomicInteger runs = new AtomicInteger();
    PredictionJob ready = job(null, 1);
    queue.add(ready);
    assertEquals(
        List.of(ready),
        queue
            .takeBatch(FOUR_ROWS, true, JobQueueTest::never, FOREVER, runs::incrementAndGet)
            .jobs());
    assertEquals(0, runs.get());

    assertEquals(
        List.of(),
        queue
            .takeBatch(FOUR_ROWS, true, JobQueueTest::never, 1_000_000, runs::incrementAndGet)
            .jobs());
    assertEquals(1, runs.get());

    // Waiting for more to merge is waiting too: the task runs before that wait, once.
    PredictionJob first = job(null, 1);
    queue.add(first);
    BatchingPolicy delayed = new BatchingPolicy(true, 4, Duration.ofMillis(20));
    assertEquals(
        List.of(first),
        queue.takeBatch(delayed, true, JobQueueTest::never, FOREVER, runs::incrementAndGet).jobs());
    assertEquals(2, runs.get());
  }

  @Test
  void controlCallsRunAloneAndPredictionsMergeAroundThem() throws Exception {
    JobQueue queue = new JobQueue(10);
    PredictionJob a = job(null, 1);
    ControlJob<?> info = ControlJob.info(System.nanoTime(), 60_000_000_000L);
    PredictionJob b = job(null, 1);
    queue.add(a);
    queue.add(info);
    queue.add(b);
    assertEquals(List.of(a, b), take(queue, FOUR_ROWS, true));
    assertEquals(
        new Batch.Control(info),
        queue.takeBatch(FOUR_ROWS, true, JobQueueTest::never, FOREVER, () -> {}));
  }

  @Test
  void boundedAndClosable() throws Exception {
    JobQueue queue = new JobQueue(2);
    queue.add(job(null, 1));
    queue.add(job(null, 1));
    assertTrue(
        assertThrows(QueueFullException.class, () -> queue.add(job(null, 1)))
            .getMessage()
            .contains("2 requests waiting"));
    queue.close();
    assertThrows(BackendNotReadyException.class, () -> queue.add(job(null, 1)));
    assertEquals(1, take(queue, BatchingPolicy.DISABLED, false).size());
    assertEquals(1, take(queue, BatchingPolicy.DISABLED, false).size());
    assertNull(take(queue, BatchingPolicy.DISABLED, false));
  }

  @Test
  void expiredCallsLeaveTheQueue() {
    JobQueue queue = new JobQueue(10);
    PredictionJob soon =
        new PredictionJob(
            Inputs.body("{\"data\":[[1]]}"), OutputStyle.COMPACT, System.nanoTime(), 1_000);
    PredictionJob later = job(null, 1);
    queue.add(soon);
    queue.add(later);
    assertEquals(List.of(soon), queue.removeExpired(System.nanoTime() + 1_000_000));
    assertEquals(1, queue.size());
  }

  @Test
  void waitingForMoreToMergeEndsAtTheEarliestDeadlineOfTheCallsHeld() throws Exception {
    // Taken calls are neither queued nor in flight: the deadline thread cannot see them.
    JobQueue queue = new JobQueue(100);
    PredictionJob soon =
        new PredictionJob(
            Inputs.body("{\"data\":[[1,2]]}"),
            OutputStyle.COMPACT,
            System.nanoTime(),
            TimeUnit.MILLISECONDS.toNanos(200));
    queue.add(soon);
    long start = System.nanoTime();
    assertEquals(
        List.of(soon), take(queue, new BatchingPolicy(true, 4, Duration.ofSeconds(20)), true));
    long waited = System.nanoTime() - start;
    assertTrue(waited < TimeUnit.SECONDS.toNanos(5), "waited " + waited / 1_000_000 + " ms");
  }
}
