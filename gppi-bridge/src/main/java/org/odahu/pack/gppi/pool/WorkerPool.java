package org.odahu.pack.gppi.pool;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.odahu.pack.gppi.BackendNotReadyException;
import org.odahu.pack.gppi.BackendOptions;
import org.odahu.pack.gppi.BackendStats;
import org.odahu.pack.gppi.GppiException;
import org.odahu.pack.gppi.ModelBackend;
import org.odahu.pack.gppi.ModelSchema;
import org.odahu.pack.gppi.OutputStyle;
import org.odahu.pack.gppi.Prediction;
import org.odahu.pack.gppi.PredictionInput;
import org.odahu.pack.gppi.SelfCheckReport;
import org.odahu.pack.gppi.runtime.WorkerFactory;

/**
 * A {@link ModelBackend} made of N workers fed from one bounded queue. Whatever the runtime, the
 * pool owns queueing, batching, timeouts, restarts with capped back-off and readiness; a {@link
 * WorkerFactory} only starts workers.
 */
public final class WorkerPool implements ModelBackend {
  private static final System.Logger LOG = System.getLogger(WorkerPool.class.getName());

  /** What the calls {@link #kill()} ends, and those it refuses, fail with. */
  private static final String STOPPED = "The model backend was stopped before answering";

  private final WorkerFactory factory;
  private final BackendOptions options;
  private final PoolClock clock;
  private final JobQueue queue;
  private final Merging merging;
  private final PoolEvents events;
  private final CountDownLatch closing = new CountDownLatch(1);
  private final AtomicBoolean closed = new AtomicBoolean();
  private final List<WorkerSlot> slots = new ArrayList<>();
  private final DeadlineWatcher deadlines;
  private final boolean deadlineThread;
  private final List<Thread> threads = new ArrayList<>();

  /** How long closing waits for a slot whose worker was killed to notice. */
  private static final long ABANDONED_WAIT_MILLIS = 1_000;

  private final AtomicBoolean startCalled = new AtomicBoolean();

  /** A pool of {@code options.workers()} workers from {@code factory}; call {@link #start()}. */
  public WorkerPool(WorkerFactory factory, BackendOptions options) {
    this(factory, options, PoolClock.SYSTEM, true);
  }

  /**
   * For tests: time from {@code clock}, and without {@code deadlineThread} deadlines are checked
   * only when the test calls {@link #checkDeadlines()}.
   */
  WorkerPool(
      WorkerFactory factory, BackendOptions options, PoolClock clock, boolean deadlineThread) {
    this.factory = factory;
    this.options = options;
    this.clock = clock;
    this.deadlineThread = deadlineThread;
    this.queue = new JobQueue(options.queueCapacity(), clock);
    options
        .batching()
        .delayWarning(options.timeout())
        .ifPresent(warning -> LOG.log(System.Logger.Level.WARNING, warning));
    this.merging = new Merging(options.batching().enabled());
    this.events = new PoolEvents(options.workers(), options.listener(), queue, this::aliveWorkers);
    SlotContext context = new SlotContext(factory, options, queue, merging, clock, closing, events);
    List<CallGuard> guards = new ArrayList<>();
    for (int id = 1; id <= options.workers(); id++) {
      WorkerSlot slot = new WorkerSlot(id, context);
      slots.add(slot);
      guards.add(slot.guard());
    }
    this.deadlines =
        new DeadlineWatcher(queue, guards, clock, options.timeout(), closing, options.listener());
  }

  @Override
  public CompletionStage<Void> start() {
    return startThen(events.started());
  }

  @Override
  public CompletionStage<Void> startOne() {
    return startThen(events.oneStarted());
  }

  /** Starts the workers (once) and returns a stage of {@code done} for this caller. */
  private CompletionStage<Void> startThen(CompletableFuture<Void> done) {
    if (startCalled.compareAndSet(false, true)) {
      events.awaitedBy(done);
      if (deadlineThread) {
        Thread.ofPlatform().daemon().name("gppi-deadlines").start(deadlines);
      }
      for (WorkerSlot slot : slots) {
        threads.add(Thread.ofPlatform().name("gppi-worker-" + slot.id()).start(slot));
      }
    }
    // A stage of its own for each caller, failing with the start-up exception itself (copy()
    // would wrap it in a CompletionException).
    CompletableFuture<Void> stage = new CompletableFuture<>();
    CompletableFuture<Void> unused =
        done.whenComplete(
            (ready, failure) -> {
              if (failure == null) {
                stage.complete(null);
              } else {
                stage.completeExceptionally(failure);
              }
            });
    return stage;
  }

  /** One pass of the deadline thread's checks, for tests that run without it. */
  void checkDeadlines() {
    deadlines.check();
  }

  /**
   * Ready once every worker has started (so the first load finds them all) and then while any is
   * alive: a worker being replaced leaves the others serving, as a gunicorn master's other workers
   * did.
   */
  @Override
  public boolean isReady() {
    return !isClosing() && events.everySlotStarted() && aliveWorkers() > 0;
  }

  @Override
  public Optional<String> notReadyReason() {
    if (isClosing()) {
      return Optional.of("The model backend is shutting down");
    }
    if (isReady()) {
      return Optional.empty();
    }
    for (WorkerSlot slot : slots) {
      if (!slot.isAlive()) {
        return Optional.of(slot.notAliveReason());
      }
    }
    return Optional.empty();
  }

  @Override
  public CompletionStage<ModelSchema> info() {
    return submit(ControlJob.info(clock.nanoTime(), timeoutNanos()));
  }

  @Override
  public CompletionStage<Prediction> predict(PredictionInput input, OutputStyle style) {
    boolean ndarray = options.ndarray();
    // Read the numbers on the caller's thread (the server's event loops), not on the worker's slot
    // thread, while its Python worker waits for the call.
    options.packing().values(input);
    return submit(
        new PredictionJob(
            input, style, clock.nanoTime(), timeoutNanos(), options.timeoutCountsQueue(), ndarray));
  }

  @Override
  public CompletionStage<SelfCheckReport> selfCheck() {
    return submit(ControlJob.selfCheck(clock.nanoTime(), timeoutNanos()));
  }

  @Override
  public BackendStats stats() {
    int busy = 0;
    for (WorkerSlot slot : slots) {
      busy += slot.isBusy() ? 1 : 0;
    }
    return new BackendStats(
        options.workers(), aliveWorkers(), busy, events.restarts(), queue.size(), merging.isOn());
  }

  private <T> CompletionStage<T> submit(Job<T> job) {
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
    return job.result();
  }

  private long timeoutNanos() {
    return options.timeout().toNanos();
  }

  private int aliveWorkers() {
    int alive = 0;
    for (WorkerSlot slot : slots) {
      alive += slot.isAlive() ? 1 : 0;
    }
    return alive;
  }

  private boolean isClosing() {
    return closing.getCount() == 0;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    stopTaking();
    long waitMillis = options.timeout().toMillis() + 5_000;
    for (int i = 0; i < threads.size(); i++) {
      Thread thread = threads.get(i);
      // A slot whose worker was killed (its call timed out, or kill() ended it) holds no call
      // anyone waits for: its thread may be in model code that ignores cancellation (GraalPy's),
      // which would hold the close for the whole timeout and more.
      boolean abandoned = slots.get(i).guard().isKilled();
      try {
        thread.join(abandoned ? ABANDONED_WAIT_MILLIS : waitMillis);
        if (thread.isAlive() && !abandoned) {
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
    events.started().completeExceptionally(closed);
    events.oneStarted().completeExceptionally(closed);
    factory.close();
  }

  @Override
  public void kill() {
    BackendNotReadyException stopped = new BackendNotReadyException(STOPPED);
    // Answered now: left queued, they waited for close(), after the server's drain had given up.
    queue.close(stopped).forEach(job -> job.fail(stopped));
    stopTaking();
    slots.forEach(slot -> slot.guard().stop(stopped));
  }

  /** No more calls, starts or restarts. */
  private void stopTaking() {
    closing.countDown();
    queue.close();
    factory.abortStarts();
    // The deadline thread has stopped: a worker stopped while answering a ping would hold its slot.
    slots.forEach(slot -> slot.guard().abandonPing());
  }
}
