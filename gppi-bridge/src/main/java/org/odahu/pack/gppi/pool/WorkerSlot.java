package org.odahu.pack.gppi.pool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.odahu.pack.gppi.GppiException;
import org.odahu.pack.gppi.InvalidInputException;
import org.odahu.pack.gppi.ModelStartupException;
import org.odahu.pack.gppi.PredictionTimeoutException;
import org.odahu.pack.gppi.WorkerCrashedException;
import org.odahu.pack.gppi.runtime.Reply;
import org.odahu.pack.gppi.runtime.Worker;
import org.odahu.pack.gppi.runtime.WorkerDiedException;

/**
 * One worker position of a {@link WorkerPool}: a thread that keeps a worker running (restarting it
 * with capped back-off, also when it dies between calls) and feeds it batches from the queue, one
 * call at a time. It owns the worker and the call watchdog; {@link BatchDispatcher} decides which
 * calls a batch becomes and {@link RestartBackoff} how long to wait before a restart.
 */
final class WorkerSlot implements Runnable {
  private final int id;
  private final WorkerPool pool;
  private final BatchDispatcher dispatcher;
  private final RestartBackoff backoff = new RestartBackoff();
  private volatile Worker worker;
  private volatile boolean busy;
  private volatile List<Job> running = List.of();
  private volatile long callDeadline;
  private final AtomicBoolean timedOut = new AtomicBoolean();
  private volatile String failure;

  /** What one call to the worker gave: a reply, or the failure of every job it carried. */
  record Outcome(Reply reply, GppiException failure, boolean workerDied) {
    static Outcome failed(GppiException failure, boolean workerDied) {
      return new Outcome(null, failure, workerDied);
    }
  }

  WorkerSlot(int id, WorkerPool pool) {
    this.id = id;
    this.pool = pool;
    this.dispatcher = new BatchDispatcher(this, pool);
  }

  int id() {
    return id;
  }

  /** Whether the slot has a started worker that has not exited. */
  boolean isAlive() {
    Worker current = worker;
    return current != null && !hasExited(current);
  }

  /** Whether the slot holds a worker; it does not once a call has cost it the worker. */
  boolean hasWorker() {
    return worker != null;
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
    if (backoff.isBackingOff()
        && pool.awaitClosing(backoff.delayMillis(pool.options().maxRestartDelay()))) {
      return false;
    }
    if (pool.isClosing()) {
      return false;
    }
    try {
      Worker started = pool.factory().start(id);
      backoff.started();
      failure = null;
      worker = started;
      started.exited().thenRun(pool.queue()::wakeTakers);
      pool.workerStarted(this, started);
      return true;
    } catch (ModelStartupException e) {
      int attempt = backoff.startFailed();
      failure = e.getMessage();
      pool.workerFailedToStart(this, e, attempt);
      return false;
    } catch (RuntimeException e) {
      int attempt = backoff.startFailed();
      failure = "Worker " + id + " failed to start: " + e;
      pool.workerFailedToStart(this, new ModelStartupException(failure, e), attempt);
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
      dispatcher.dispatch(live);
    } finally {
      running = List.of();
    }
  }

  /** Fails the jobs of a call whose reply made no sense, and drops the worker that sent it. */
  void protocolBreach(List<Job> jobs, Reply reply) {
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
  Outcome call(int type, byte[] payload) {
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
    backoff.lost(countsAsFailure);
    pool.workerLost(this, lost, reason);
  }
}
