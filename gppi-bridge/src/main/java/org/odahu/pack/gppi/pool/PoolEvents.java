package org.odahu.pack.gppi.pool;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import org.odahu.pack.gppi.BackendConfigurationException;
import org.odahu.pack.gppi.BackendListener;
import org.odahu.pack.gppi.BackendNotReadyException;
import org.odahu.pack.gppi.ModelStartupException;
import org.odahu.pack.gppi.runtime.Worker;

/**
 * The pool's side of {@link SlotEvents}: logs, counts restarts, tells the listener, completes the
 * start-up stage once every slot has started a worker, fails the queued calls when a start fails
 * with no worker alive (as new calls are refused then), and refuses every call once every slot has
 * stopped for good.
 */
final class PoolEvents implements SlotEvents {
  private static final System.Logger LOG = System.getLogger(WorkerPool.class.getName());

  private final int workers;
  private final BackendListener listener;
  private final CompletableFuture<Void> started = new CompletableFuture<>();
  private final CompletableFuture<Void> oneStarted = new CompletableFuture<>();
  private final Set<Integer> startedSlots = ConcurrentHashMap.newKeySet();
  private final AtomicLong restarts = new AtomicLong();
  private final AtomicInteger stoppedSlots = new AtomicInteger();
  private final JobQueue queue;
  private final IntSupplier aliveWorkers;

  PoolEvents(int workers, BackendListener listener, JobQueue queue, IntSupplier aliveWorkers) {
    this.workers = workers;
    this.listener = listener;
    this.queue = queue;
    this.aliveWorkers = aliveWorkers;
  }

  /** Completes once every slot has started a worker, or fails with the first start failure. */
  CompletableFuture<Void> started() {
    return started;
  }

  /** Completes once one slot has started a worker, or fails with a start failure before that. */
  CompletableFuture<Void> oneStarted() {
    return oneStarted;
  }

  /**
   * The stage whoever started the pool waits on ({@link #started} or {@link #oneStarted}): it
   * reports the failure that completes it, so that failure is not logged here as well.
   */
  private volatile CompletableFuture<Void> awaited;

  void awaitedBy(CompletableFuture<Void> stage) {
    awaited = stage;
  }

  /** Whether every slot has had a worker started, at any time since the pool started. */
  boolean everySlotStarted() {
    return startedSlots.size() == workers;
  }

  long restarts() {
    return restarts.get();
  }

  @Override
  public void started(int slot, Worker worker) {
    LOG.log(System.Logger.Level.INFO, "{0} is ready", worker.name());
    oneStarted.complete(null);
    // Count slots, not starts: a restarted worker must not stand in for one still starting.
    if (startedSlots.add(slot) && startedSlots.size() == workers) {
      started.complete(null);
    }
  }

  @Override
  public void failedToStart(int slot, ModelStartupException failure, int attempt) {
    CompletableFuture<Void> owner = awaited;
    boolean reportedByOwner = owner != null && owner.completeExceptionally(failure);
    started.completeExceptionally(failure);
    oneStarted.completeExceptionally(failure);
    if (aliveWorkers.getAsInt() == 0) {
      // No worker may take them before the next attempt, which may fail as well; a call queued
      // without a time limit (batch work) would wait forever.
      BackendNotReadyException refused =
          new BackendNotReadyException("The model is not ready: " + failure.shown());
      queue.drain().forEach(job -> job.fail(refused));
    }
    if (attempt == 1 && reportedByOwner) {
      LOG.log(System.Logger.Level.DEBUG, failure.getMessage());
    } else if (attempt == 1) {
      // A worker that fails to start again (a restart after a death): its traceback tells why.
      String traceback = failure.pythonTraceback().stripTrailing();
      LOG.log(
          System.Logger.Level.ERROR,
          failure.getMessage() + (traceback.isEmpty() ? "" : "\n" + traceback));
    } else {
      LOG.log(
          System.Logger.Level.WARNING,
          "worker-{0} still cannot start (attempt {1}): {2}",
          slot,
          attempt,
          failure.getMessage());
    }
  }

  @Override
  public void cannotStart(int slot, BackendConfigurationException failure) {
    // Reported once, through the start-up stage: whoever starts the backend decides what to say.
    started.completeExceptionally(failure);
    oneStarted.completeExceptionally(failure);
    LOG.log(System.Logger.Level.DEBUG, "worker-{0} cannot start: {1}", slot, failure.getMessage());
    if (stoppedSlots.incrementAndGet() == workers) {
      BackendNotReadyException refused =
          new BackendNotReadyException("The model is not ready: " + failure.shown());
      queue.close(refused).forEach(job -> job.fail(refused));
    }
  }

  @Override
  public void lost(int slot, Worker worker, String reason) {
    restarts.incrementAndGet();
    LOG.log(
        System.Logger.Level.WARNING,
        "{0} lost: {1}; starting a replacement",
        worker.name(),
        reason);
    listener.onWorkerLost(worker.name(), reason);
  }

  @Override
  public void failed(int slot, Throwable failure) {
    LOG.log(
        System.Logger.Level.ERROR,
        "worker-" + slot + " failed unexpectedly; its calls failed and its worker is replaced",
        failure);
  }
}
