package org.odahu.pack.gppi.pool;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.odahu.pack.gppi.BackendListener;
import org.odahu.pack.gppi.BackendNotReadyException;
import org.odahu.pack.gppi.BackendOptions;
import org.odahu.pack.gppi.BackendStats;
import org.odahu.pack.gppi.GppiException;
import org.odahu.pack.gppi.ModelBackend;
import org.odahu.pack.gppi.ModelSchema;
import org.odahu.pack.gppi.ModelStartupException;
import org.odahu.pack.gppi.OutputStyle;
import org.odahu.pack.gppi.Prediction;
import org.odahu.pack.gppi.PredictionInput;
import org.odahu.pack.gppi.PredictionTimeoutException;
import org.odahu.pack.gppi.SelfCheckReport;
import org.odahu.pack.gppi.runtime.Frames;
import org.odahu.pack.gppi.runtime.WireMessages;
import org.odahu.pack.gppi.runtime.Worker;
import org.odahu.pack.gppi.runtime.WorkerFactory;

/**
 * A {@link ModelBackend} made of N workers fed from one bounded queue. Whatever the runtime, the
 * pool owns queueing, batching, timeouts, restarts with capped back-off and readiness; a {@link
 * WorkerFactory} only starts workers.
 */
public final class WorkerPool implements ModelBackend {
  private static final System.Logger LOG = System.getLogger(WorkerPool.class.getName());

  private final WorkerFactory factory;
  private final BackendOptions options;
  private final JobQueue queue;
  private final List<WorkerSlot> slots = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final CompletableFuture<Void> started = new CompletableFuture<>();
  private final AtomicBoolean startCalled = new AtomicBoolean();
  private final Set<Integer> startedSlots = ConcurrentHashMap.newKeySet();
  private final AtomicLong restarts = new AtomicLong();
  private final CountDownLatch closing = new CountDownLatch(1);
  private volatile boolean batchable;

  public WorkerPool(WorkerFactory factory, BackendOptions options) {
    this.factory = factory;
    this.options = options;
    this.queue = new JobQueue(options.queueCapacity());
    this.batchable = options.batching().enabled();
    for (int id = 1; id <= options.workers(); id++) {
      slots.add(new WorkerSlot(id, this));
    }
  }

  @Override
  public CompletionStage<Void> start() {
    if (startCalled.compareAndSet(false, true)) {
      Thread.ofPlatform().daemon().name("gppi-deadlines").start(this::watchDeadlines);
      for (WorkerSlot slot : slots) {
        threads.add(Thread.ofPlatform().name("gppi-worker-" + slot.id()).start(slot));
      }
    }
    return started.copy();
  }

  @Override
  public boolean isReady() {
    return !isClosing() && aliveWorkers() >= options.workers();
  }

  @Override
  public Optional<String> notReadyReason() {
    if (isClosing()) {
      return Optional.of("The model backend is shutting down");
    }
    for (WorkerSlot slot : slots) {
      if (!slot.isAlive()) {
        String failure = slot.failure();
        return Optional.of(failure != null ? failure : "worker-" + slot.id() + " is starting");
      }
    }
    return Optional.empty();
  }

  @Override
  public CompletionStage<ModelSchema> info() {
    return submit(Job.control(Frames.INFO, timeoutNanos()))
        .thenApply(r -> WireMessages.decodeInfo((byte[]) r));
  }

  @Override
  public CompletionStage<Prediction> predict(PredictionInput input, OutputStyle style) {
    return submit(Job.predict(input, style, timeoutNanos())).thenApply(Prediction.class::cast);
  }

  @Override
  public CompletionStage<SelfCheckReport> selfCheck() {
    return submit(Job.control(Frames.SELF_CHECK, timeoutNanos()))
        .thenApply(r -> WireMessages.decodeSelfCheck((byte[]) r));
  }

  @Override
  public BackendStats stats() {
    int busy = 0;
    for (WorkerSlot slot : slots) {
      busy += slot.isBusy() ? 1 : 0;
    }
    return new BackendStats(
        options.workers(), aliveWorkers(), busy, restarts.get(), queue.size(), batchable);
  }

  private CompletionStage<Object> submit(Job job) {
    start();
    if (aliveWorkers() == 0) {
      Optional<String> failure =
          slots.stream().map(WorkerSlot::failure).filter(f -> f != null).findFirst();
      if (failure.isPresent()) {
        return CompletableFuture.failedFuture(
            new BackendNotReadyException("The model is not ready: " + failure.get()));
      }
    }
    try {
      queue.add(job);
    } catch (GppiException e) {
      job.fail(e);
    }
    return job.result;
  }

  private long timeoutNanos() {
    return options.timeout().toNanos();
  }

  /**
   * The deadline thread: one pass every tick instead of a timer task per call, which would cost
   * every call a schedule, a cancel and often a thread wake-up.
   */
  private void watchDeadlines() {
    long tick = Math.max(10, Math.min(100, options.timeout().toMillis() / 10));
    try {
      while (!closing.await(tick, TimeUnit.MILLISECONDS)) {
        long now = System.nanoTime();
        for (Job job : queue.removeExpired(now)) {
          job.fail(
              new PredictionTimeoutException(
                  "Prediction timed out after "
                      + options.timeout().toSeconds()
                      + " s waiting for a free worker"));
        }
        for (WorkerSlot slot : slots) {
          slot.checkDeadlines(now);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private int aliveWorkers() {
    int alive = 0;
    for (WorkerSlot slot : slots) {
      alive += slot.isAlive() ? 1 : 0;
    }
    return alive;
  }

  // ---- used by WorkerSlot ----

  WorkerFactory factory() {
    return factory;
  }

  BackendOptions options() {
    return options;
  }

  JobQueue queue() {
    return queue;
  }

  BackendListener listener() {
    return options.listener();
  }

  boolean isBatchable() {
    return batchable;
  }

  boolean isClosing() {
    return closing.getCount() == 0;
  }

  /** Waits up to {@code millis}; returns whether the pool is closing. */
  boolean awaitClosing(long millis) throws InterruptedException {
    return closing.await(millis, TimeUnit.MILLISECONDS);
  }

  void markUnbatchable(int answeredRows, int sentRows) {
    if (batchable) {
      batchable = false;
      LOG.log(
          System.Logger.Level.WARNING,
          "The model answered {0} rows for a merged batch of {1}: batching is now off for this"
              + " model and the batch is retried request by request",
          answeredRows,
          sentRows);
    }
  }

  void workerStarted(WorkerSlot slot, Worker worker) {
    LOG.log(System.Logger.Level.INFO, "{0} is ready", worker.name());
    // Count slots, not starts: a restarted worker must not stand in for one still starting.
    if (startedSlots.add(slot.id()) && startedSlots.size() == options.workers()) {
      started.complete(null);
    }
  }

  void workerFailedToStart(WorkerSlot slot, ModelStartupException failure, int attempt) {
    started.completeExceptionally(failure);
    if (attempt == 1) {
      LOG.log(System.Logger.Level.ERROR, failure.getMessage());
      if (!failure.pythonTraceback().isEmpty()) {
        LOG.log(System.Logger.Level.DEBUG, failure.pythonTraceback());
      }
    } else {
      LOG.log(
          System.Logger.Level.WARNING,
          "worker-{0} still cannot start (attempt {1}): {2}",
          slot.id(),
          attempt,
          failure.getMessage());
    }
  }

  void slotFailed(WorkerSlot slot, Throwable failure) {
    LOG.log(
        System.Logger.Level.ERROR,
        "worker-" + slot.id() + " failed unexpectedly; its calls failed and its worker is replaced",
        failure);
  }

  void workerLost(WorkerSlot slot, Worker worker, String reason) {
    restarts.incrementAndGet();
    LOG.log(
        System.Logger.Level.WARNING,
        "{0} lost: {1}; starting a replacement",
        worker.name(),
        reason);
    options.listener().onWorkerLost(worker.name(), reason);
  }

  @Override
  public void close() {
    if (isClosing()) {
      return;
    }
    closing.countDown();
    queue.close();
    long waitMillis = options.timeout().toMillis() + 5_000;
    for (Thread thread : threads) {
      try {
        thread.join(waitMillis);
        if (thread.isAlive()) {
          slots.forEach(WorkerSlot::kill);
          thread.join(5_000);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    BackendNotReadyException closed = new BackendNotReadyException("The model backend was closed");
    queue.drain().forEach(job -> job.fail(closed));
    started.completeExceptionally(closed);
    factory.close();
  }
}
