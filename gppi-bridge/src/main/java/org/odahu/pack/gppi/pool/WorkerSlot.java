package org.odahu.pack.gppi.pool;

import java.time.Duration;
import org.odahu.pack.gppi.BackendConfigurationException;
import org.odahu.pack.gppi.ModelStartupException;
import org.odahu.pack.gppi.WorkerCrashedException;
import org.odahu.pack.gppi.runtime.Worker;

/**
 * One worker position of a {@link WorkerPool}: a thread that keeps a worker running (restarting it
 * with capped back-off, also when it dies between calls, unless the options make starting
 * impossible) and feeds it batches from the queue, one call at a time. Its {@link CallGuard} holds
 * the worker and the call in flight, {@link BatchDispatcher} decides which calls a batch becomes
 * and {@link RestartBackoff} how long to wait before a restart; it reports to the pool only through
 * {@link SlotEvents}.
 */
final class WorkerSlot implements Runnable {
  private final int id;
  private final SlotContext context;
  private final CallGuard guard;
  private final BatchDispatcher dispatcher;
  private final RestartBackoff backoff;
  private volatile String failure;
  private volatile String backingOff;
  private boolean stopped;

  WorkerSlot(int id, SlotContext context) {
    this.id = id;
    this.context = context;
    this.backoff = new RestartBackoff(context.clock());
    this.guard =
        new CallGuard(
            context.clock(),
            context.options().timeout(),
            context.options().maxFrameBytes(),
            "worker-" + id,
            this::lost);
    this.dispatcher =
        new BatchDispatcher(
            guard,
            context.queue(),
            context.merging(),
            context.options().listener(),
            context.clock(),
            context.options().timeout(),
            context.options().maxFrameBytes(),
            context.options().packing());
  }

  int id() {
    return id;
  }

  /** The worker and its call in flight, for the deadline thread. */
  CallGuard guard() {
    return guard;
  }

  /** Whether the slot has a started worker that has not exited. */
  boolean isAlive() {
    return guard.isAlive();
  }

  boolean isBusy() {
    return guard.isBusy();
  }

  /** Why the last start failed, or {@code null} after a successful start. */
  String failure() {
    return failure;
  }

  /** Why this slot has no live worker: its failed start, its back-off, or its start under way. */
  String notAliveReason() {
    String reason = failure != null ? failure : backingOff;
    return reason != null ? reason : "worker-" + id + " is starting";
  }

  void kill() {
    guard.kill();
  }

  @Override
  public void run() {
    try {
      while (true) {
        if (guard.worker() == null) {
          dispatcher.handOut(); // before a restart's back-off and start
          if (!startWorker()) {
            if (context.isClosing() || stopped) {
              break;
            }
            continue;
          }
        }
        if (!serveOnce(guard.worker())) {
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      dispatcher.handOut();
      guard.close(Duration.ofSeconds(5));
    }
  }

  /**
   * Takes one batch for {@code current} and runs it, or pings the worker after a ping interval
   * without calls (it has the call timeout to answer); returns false once the queue is closed.
   */
  private boolean serveOnce(Worker current) throws InterruptedException {
    Duration pingInterval = context.options().pingInterval();
    Batch batch =
        context
            .queue()
            .takeBatch(
                context.options().batching(),
                context.merging().isOn(),
                () -> CallGuard.hasExited(current),
                pingInterval.isZero() ? Long.MAX_VALUE : pingInterval.toNanos(),
                dispatcher::handOut);
    if (batch == null) {
      return false;
    }
    if (CallGuard.hasExited(current)) {
      // Died between calls: replace it first, the batch did nothing wrong.
      context.queue().putFirst(batch.jobs());
      String how = current.exited().toCompletableFuture().getNow("");
      guard.lose(current, "it exited while idle (" + how + ")", true);
    } else if (!batch.isEmpty()) {
      runBatch(batch);
    } else if (!pingInterval.isZero() && !context.isClosing()) {
      dispatcher.handOut();
      guard.ping();
    }
    return true;
  }

  private boolean startWorker() throws InterruptedException {
    if (backoff.isBackingOff()) {
      long delay = backoff.delayMillis(context.options().maxRestartDelay());
      backingOff = "worker-" + id + " restarts in " + delay / 1000.0 + " s, after a failure";
      boolean closing = context.clock().sleep(delay, context.closing());
      backingOff = null;
      if (closing) {
        return false;
      }
    }
    if (context.isClosing()) {
      return false;
    }
    try {
      Worker started = context.factory().start(id);
      backoff.started();
      failure = null;
      guard.attach(started);
      started.exited().thenRun(context.queue()::wakeTakers);
      context.events().started(id, started);
      return true;
    } catch (BackendConfigurationException e) {
      // Retrying cannot help: the interpreter or runtime named does not exist.
      failure = e.shown();
      stopped = true;
      context.events().cannotStart(id, e);
      return false;
    } catch (ModelStartupException e) {
      startFailed(e);
      return false;
    } catch (RuntimeException e) {
      startFailed(new ModelStartupException("Worker " + id + " failed to start: " + e, e));
      return false;
    }
  }

  private void startFailed(ModelStartupException e) {
    if (context.isClosing()) {
      return; // cut short by the pool's close: nothing to report or retry
    }
    int attempt = backoff.startFailed();
    failure = e.shown();
    context.events().failedToStart(id, e, attempt);
  }

  /** Runs one batch; an unexpected failure fails its calls and costs the worker, not the slot. */
  private void runBatch(Batch batch) {
    try {
      dispatcher.dispatch(batch);
    } catch (RuntimeException | Error e) {
      Worker current = guard.worker();
      WorkerCrashedException crash;
      try {
        crash =
            new WorkerCrashedException(
                (current == null ? "worker-" + id : current.name()) + " failed: " + e, e);
      } catch (OutOfMemoryError again) {
        // A GraalPy model that filled the shared heap: no room to describe it, but this thread,
        // the slot's only one, must go on and its callers must be answered.
        crash = outOfMemory;
      }
      WorkerCrashedException failure = crash;
      batch.jobs().forEach(job -> job.fail(failure));
      context.events().failed(id, failure);
      if (current != null) {
        guard.lose(current, failure.getMessage(), true);
      }
    }
  }

  /** Made in advance: when the heap is full, nothing may be left to make it with. */
  private final WorkerCrashedException outOfMemory =
      new WorkerCrashedException(
          "The Java heap ran out during the call (a GraalPy model shares it with the server)");

  /**
   * Called by the guard when the worker is gone: back off if unstable, and tell the pool; not while
   * the pool stops (a worker it killed, or one that died meanwhile, is not replaced).
   */
  private void lost(Worker worker, String reason, boolean countsAsFailure) {
    if (context.isClosing()) {
      return;
    }
    backoff.lost(countsAsFailure);
    context.events().lost(id, worker, reason);
  }
}
