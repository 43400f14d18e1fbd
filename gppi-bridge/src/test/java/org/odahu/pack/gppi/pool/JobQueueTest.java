package org.odahu.pack.gppi.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.odahu.pack.gppi.BackendNotReadyException;
import org.odahu.pack.gppi.BatchingPolicy;
import org.odahu.pack.gppi.OutputStyle;
import org.odahu.pack.gppi.PredictionInput;
import org.odahu.pack.gppi.QueueFullException;

class JobQueueTest {
  private static final BatchingPolicy FOUR_ROWS = new BatchingPolicy(true, 4, Duration.ZERO);

  private static boolean never() {
    return false;
  }

  private static Job job(String columns, int rows) {
    StringBuilder data = new StringBuilder("[");
    for (int i = 0; i < rows; i++) {
      data.append(i == 0 ? "" : ",").append("[1,2]");
    }
    String body =
        "{" + (columns == null ? "" : "\"columns\":" + columns + ",") + "\"data\":" + data + "]}";
    return Job.predict(PredictionInput.parse(body), OutputStyle.COMPACT, 60_000_000_000L);
  }

  @Test
  void mergesCompatibleJobsUpToTheRowLimitAndLeavesTheRestInOrder() throws Exception {
    JobQueue queue = new JobQueue(100);
    Job a = job("[\"x\",\"y\"]", 1);
    Job other = job("[\"y\",\"x\"]", 1);
    Job b = job("[\"x\",\"y\"]", 2);
    Job tooBig = job("[\"x\",\"y\"]", 2);
    Job c = job("[\"x\",\"y\"]", 1);
    for (Job job : List.of(a, other, b, tooBig, c)) {
      queue.add(job);
    }
    assertEquals(List.of(a, b, c), queue.takeBatch(FOUR_ROWS, true, JobQueueTest::never));
    assertEquals(List.of(other), queue.takeBatch(FOUR_ROWS, true, JobQueueTest::never));
    assertEquals(List.of(tooBig), queue.takeBatch(FOUR_ROWS, true, JobQueueTest::never));
  }

  @Test
  void noMergingWhenSwitchedOffOrForDifferentStyles() throws Exception {
    JobQueue queue = new JobQueue(100);
    Job a = job(null, 1);
    Job b = job(null, 1);
    Job python =
        Job.predict(
            PredictionInput.parse("{\"data\":[[1,2]]}"), OutputStyle.PYTHON, 60_000_000_000L);
    queue.add(a);
    queue.add(python);
    queue.add(b);
    assertEquals(List.of(a), queue.takeBatch(FOUR_ROWS, false, JobQueueTest::never));
    assertEquals(List.of(python), queue.takeBatch(FOUR_ROWS, true, JobQueueTest::never));
    assertEquals(List.of(b), queue.takeBatch(FOUR_ROWS, true, JobQueueTest::never));
  }

  @Test
  void retriedJobsGoFirstAndAlone() throws Exception {
    JobQueue queue = new JobQueue(100);
    Job waiting = job(null, 1);
    queue.add(waiting);
    Job first = job(null, 1);
    Job second = job(null, 1);
    queue.retryAlone(List.of(first, second));
    assertEquals(List.of(first), queue.takeBatch(FOUR_ROWS, true, JobQueueTest::never));
    assertEquals(List.of(second), queue.takeBatch(FOUR_ROWS, true, JobQueueTest::never));
    assertEquals(List.of(waiting), queue.takeBatch(FOUR_ROWS, true, JobQueueTest::never));
  }

  @Test
  void returnedJobsGoFirstInOrderAndKeepMerging() throws Exception {
    JobQueue queue = new JobQueue(100);
    Job waiting = job(null, 1);
    queue.add(waiting);
    Job first = job(null, 1);
    Job second = job(null, 1);
    queue.putFirst(List.of(first, second));
    assertEquals(
        List.of(first, second, waiting), queue.takeBatch(FOUR_ROWS, true, JobQueueTest::never));
  }

  @Test
  void aWaitingTakerGivesUpWhenWokenAndItsConditionHolds() throws Exception {
    JobQueue queue = new JobQueue(10);
    AtomicBoolean workerDied = new AtomicBoolean();
    CompletableFuture<List<Job>> taken =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return queue.takeBatch(FOUR_ROWS, true, workerDied::get);
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
    Job a = job(null, 1);
    Job late = job(null, 1);
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
    List<Job> batch =
        queue.takeBatch(
            new BatchingPolicy(true, 2, Duration.ofSeconds(5)), true, JobQueueTest::never);
    adder.join();
    assertEquals(List.of(a, late), batch);
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
    assertEquals(1, queue.takeBatch(BatchingPolicy.DISABLED, false, JobQueueTest::never).size());
    assertEquals(1, queue.takeBatch(BatchingPolicy.DISABLED, false, JobQueueTest::never).size());
    assertNull(queue.takeBatch(BatchingPolicy.DISABLED, false, JobQueueTest::never));
  }

  @Test
  void expiredCallsLeaveTheQueue() {
    JobQueue queue = new JobQueue(10);
    Job soon = Job.predict(PredictionInput.parse("{\"data\":[[1]]}"), OutputStyle.COMPACT, 1_000);
    Job later = job(null, 1);
    queue.add(soon);
    queue.add(later);
    assertEquals(List.of(soon), queue.removeExpired(System.nanoTime() + 1_000_000));
    assertEquals(1, queue.size());
  }
}
