package org.odahu.pack.gppi.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.odahu.pack.gppi.GppiException;
import org.odahu.pack.gppi.InvalidInputException;
import org.odahu.pack.gppi.ModelPredictionException;
import org.odahu.pack.gppi.ModelStartupException;
import org.odahu.pack.gppi.Prediction;
import org.odahu.pack.gppi.PredictionInput;
import org.odahu.pack.gppi.PredictionTimeoutException;
import org.odahu.pack.gppi.WorkerCrashedException;

/**
 * One worker position of a {@link WorkerPool}: a thread that keeps a worker running (restarting it
 * with capped back-off, also when it dies between calls) and feeds it batches from the queue, one
 * call at a time.
 */
final class WorkerSlot implements Runnable {
  private static final long STABLE_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final long FIRST_RESTART_DELAY_MILLIS = 100;

  private final int id;
  private final WorkerPool pool;
  private volatile Worker worker;
  private volatile boolean busy;
  private volatile List<Job> running = List.of();
  private volatile long callDeadline;
  private final AtomicBoolean timedOut = new AtomicBoolean();
  private volatile String failure;
  private long aliveSince;
  private int failures;

  /** What one call to the worker gave: a reply, or the failure of every job it carried. */
  private record Outcome(Reply reply, GppiException failure, boolean workerDied) {
    static Outcome failed(GppiException failure, boolean workerDied) {
      return new Outcome(null, failure, workerDied);
    }
  }

  WorkerSlot(int id, WorkerPool pool) {
    this.id = id;
    this.pool = pool;
  }

  int id() {
    return id;
  }

  /** Whether the slot has a started worker that has not exited. */
  boolean isAlive() {
    Worker current = worker;
    return current != null && !hasExited(current);
  }

  private static boolean hasExited(Worker worker) {
    return worker.exited().toCompletableFuture().isDone();
  }

  boolean isBusy() {
    return busy;
  }

  /** Why the last start failed, or {@code null} after a successful start. */
  String failure() {
    return failure;
  }

  void kill() {
    Worker current = worker;
    if (current != null) {
      current.kill();
    }
  }

  @Override
  public void run() {
    try {
      while (true) {
        if (worker == null && !startWorker()) {
          if (pool.isClosing()) {
            break;
          }
          continue;
        }
        Worker current = worker;
        List<Job> batch =
            pool.queue()
                .takeBatch(pool.options().batching(), pool.isBatchable(), () -> hasExited(current));
        if (batch == null) {
          break;
        }
        if (hasExited(current)) {
          // Died between calls: replace it first, the batch did nothing wrong.
          pool.queue().putFirst(batch);
          String how = current.exited().toCompletableFuture().getNow("");
          lose(current, "it exited while idle (" + how + ")", true);
        } else {
          runBatch(batch);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      Worker last = worker;
      worker = null;
      if (last != null) {
        last.close(Duration.ofSeconds(5));
      }
    }
  }

  private boolean startWorker() throws InterruptedException {
    if (failures > 0) {
      long delay =
          Math.min(
              pool.options().maxRestartDelay().toMillis(),
              FIRST_RESTART_DELAY_MILLIS << Math.min(failures - 1, 20));
      if (pool.awaitClosing(delay)) {
        return false;
      }
    }
    if (pool.isClosing()) {
      return false;
    }
    try {
      Worker started = pool.factory().start(id);
      aliveSince = System.nanoTime();
      failure = null;
      worker = started;
      started.exited().thenRun(pool.queue()::wakeTakers);
      pool.workerStarted(this, started);
      return true;
    } catch (ModelStartupException e) {
      failures++;
      failure = e.getMessage();
      pool.workerFailedToStart(this, e, failures);
      return false;
    } catch (RuntimeException e) {
      failures++;
      failure = "Worker " + id + " failed to start: " + e;
      pool.workerFailedToStart(this, new ModelStartupException(failure, e), failures);
      return false;
    }
  }

  /** Runs one batch; an unexpected failure fails its calls and costs the worker, not the slot. */
  private void runBatch(List<Job> batch) {
    busy = true;
    try {
      execute(batch);
    } catch (RuntimeException | Error e) {
      Worker current = worker;
      WorkerCrashedException failure =
          new WorkerCrashedException(
              (current == null ? "worker-" + id : current.name()) + " failed: " + e, e);
      batch.forEach(job -> job.fail(failure));
      pool.slotFailed(this, failure);
      if (current != null) {
        lose(current, failure.getMessage(), true);
      }
    } finally {
      busy = false;
    }
  }

  private void execute(List<Job> batch) {
    List<Job> live = new ArrayList<>(batch.size());
    for (Job job : batch) {
      if (!job.isDone()) {
        live.add(job); // the others timed out while queued
      }
    }
    if (live.isEmpty()) {
      return;
    }
    running = live;
    try {
      dispatch(live);
    } finally {
      running = List.of();
    }
  }

  private void dispatch(List<Job> live) {
    Job first = live.get(0);
    if (first.type != Frames.PREDICT) {
      Outcome outcome = call(first.type, new byte[0]);
      if (outcome.failure() != null) {
        first.fail(outcome.failure());
      } else {
        finishControl(first, outcome.reply());
      }
    } else if (live.size() == 1) {
      predictAlone(first);
    } else {
      predictMerged(live);
    }
  }

  private void finishControl(Job job, Reply reply) {
    if (reply.type() == Frames.MODEL_ERROR) {
      job.fail(modelError(reply));
    } else if (reply.type() == Frames.INFO_RESULT || reply.type() == Frames.SELF_CHECK_RESULT) {
      job.complete(reply.payload());
    } else {
      protocolBreach(List.of(job), reply);
    }
  }

  private void predictAlone(Job job) {
    long start = System.nanoTime();
    byte[] request = WireMessages.predictRequest(List.of(job.input), job.style);
    Outcome outcome = call(Frames.PREDICT, request);
    if (outcome.failure() != null) {
      job.fail(outcome.failure());
      return;
    }
    Reply reply = outcome.reply();
    long callNanos = System.nanoTime() - start;
    pool.listener().onModelCall(1, job.rows(), callNanos);
    if (reply.type() == Frames.MODEL_ERROR) {
      job.fail(modelError(reply));
    } else if (reply.type() == Frames.RESULT) {
      complete(List.of(job), reply, start, callNanos);
    } else {
      protocolBreach(List.of(job), reply);
    }
  }

  private void predictMerged(List<Job> jobs) {
    long start = System.nanoTime();
    List<PredictionInput> inputs = new ArrayList<>(jobs.size());
    int rows = 0;
    for (Job job : jobs) {
      inputs.add(job.input);
      rows += job.rows();
    }
    byte[] request = WireMessages.predictRequest(inputs, jobs.get(0).style);
    if (request.length > pool.options().maxFrameBytes()) {
      predictEachAlone(jobs);
      return;
    }
    Outcome outcome = call(Frames.PREDICT, request);
    if (outcome.workerDied()) {
      pool.queue().retryAlone(jobs);
      return;
    }
    if (outcome.failure() != null) {
      jobs.forEach(job -> job.fail(outcome.failure()));
      return;
    }
    Reply reply = outcome.reply();
    long callNanos = System.nanoTime() - start;
    pool.listener().onModelCall(jobs.size(), rows, callNanos);
    switch (reply.type()) {
      case Frames.RESULT -> complete(jobs, reply, start, callNanos);
      case Frames.ROW_MISMATCH -> {
        pool.markUnbatchable(WireMessages.decodeRowMismatch(reply.payload()), rows);
        predictEachAlone(jobs);
      }
      // One request's bad values must not fail the requests it was merged with.
      case Frames.MODEL_ERROR -> predictEachAlone(jobs);
      default -> protocolBreach(jobs, reply);
    }
  }

  /**
   * Runs each call in a model call of its own; once one of them costs the worker, the rest go back
   * to the head of the queue, in order, to run alone on its replacement.
   */
  private void predictEachAlone(List<Job> jobs) {
    for (int i = 0; i < jobs.size(); i++) {
      if (worker == null) {
        pool.queue().retryAlone(jobs.subList(i, jobs.size()));
        return;
      }
      predictAlone(jobs.get(i));
    }
  }

  private void complete(List<Job> jobs, Reply reply, long start, long callNanos) {
    WireMessages.Result result;
    try {
      result = WireMessages.decodeResult(reply.payload());
    } catch (WorkerDiedException e) {
      protocolBreach(jobs, reply);
      return;
    }
    if (result.parts().size() != jobs.size()) {
      protocolBreach(jobs, reply);
      return;
    }
    int rows = jobs.stream().mapToInt(Job::rows).sum();
    for (int i = 0; i < jobs.size(); i++) {
      Job job = jobs.get(i);
      Prediction.Timings timings =
          new Prediction.Timings(start - job.enqueuedNanos, callNanos, jobs.size(), rows);
      job.complete(new Prediction(result.parts().get(i), result.columnsJson(), timings));
    }
  }

  private static ModelPredictionException modelError(Reply reply) {
    WireMessages.PythonError error = WireMessages.decodeError(reply.payload());
    return new ModelPredictionException(error.message(), error.type(), error.traceback());
  }

  private void protocolBreach(List<Job> jobs, Reply reply) {
    Worker current = worker;
    String name = current == null ? "worker-" + id : current.name();
    WorkerCrashedException failure =
        new WorkerCrashedException(
            name + " broke the worker protocol (reply type " + reply.type() + ")");
    jobs.forEach(job -> job.fail(failure));
    if (current != null) {
      lose(current, failure.getMessage(), true);
    }
  }

  /** Sends one call to the worker under the timeout watchdog. */
  private Outcome call(int type, byte[] payload) {
    if (payload.length > pool.options().maxFrameBytes()) {
      return Outcome.failed(
          new InvalidInputException(
              "The request is "
                  + payload.length
                  + " bytes, more than the model worker accepts ("
                  + pool.options().maxFrameBytes()
                  + " bytes)"),
          false);
    }
    Worker current = worker;
    timedOut.set(false);
    callDeadline = System.nanoTime() + pool.options().timeout().toNanos();
    try {
      Reply reply = current.call(type, payload);
      callDeadline = 0;
      if (timedOut.get()) {
        lose(current, "killed after exceeding the " + seconds() + " s timeout", false);
      }
      return new Outcome(reply, null, false);
    } catch (WorkerDiedException e) {
      callDeadline = 0;
      if (timedOut.get()) {
        String reason = "killed after exceeding the " + seconds() + " s timeout";
        lose(current, reason, false);
        return Outcome.failed(
            new PredictionTimeoutException(
                "Prediction timed out after "
                    + seconds()
                    + " s; "
                    + current.name()
                    + " was killed and is being replaced"),
            false);
      }
      String reason = current.name() + " died during the prediction: " + e.getMessage();
      lose(current, reason, true);
      return Outcome.failed(new WorkerCrashedException(reason), true);
    }
  }

  /**
   * Called by the pool's deadline thread: fails running calls past their deadline and kills a
   * worker whose call has run longer than the timeout.
   */
  void checkDeadlines(long now) {
    for (Job job : running) {
      if (!job.isDone() && job.expired(now)) {
        job.fail(new PredictionTimeoutException("Prediction timed out after " + seconds() + " s"));
      }
    }
    long deadline = callDeadline;
    Worker current = worker;
    if (deadline != 0
        && now - deadline >= 0
        && current != null
        && timedOut.compareAndSet(false, true)) {
      current.kill();
    }
  }

  private long seconds() {
    return pool.options().timeout().toSeconds();
  }

  /** Drops a dead or killed worker; the run loop starts a new one, after a back-off if unstable. */
  private void lose(Worker lost, String reason, boolean countsAsFailure) {
    worker = null;
    lost.kill();
    lost.close(Duration.ZERO);
    if (!countsAsFailure) {
      failures = 0;
    } else if (System.nanoTime() - aliveSince < STABLE_NANOS) {
      failures++;
    } else {
      failures = 1;
    }
    pool.workerLost(this, lost, reason);
  }
}
