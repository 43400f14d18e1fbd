package org.odahu.pack.gppi.pool;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.odahu.pack.gppi.BackendNotReadyException;
import org.odahu.pack.gppi.BatchingPolicy;
import org.odahu.pack.gppi.QueueFullException;

/** The bounded queue of calls waiting for a worker; a free worker takes a batch from it. */
final class JobQueue {
  /** What a taker gets when its wait ends without a call. */
  static final Batch NOTHING = new Batch.Predictions(List.of());

  private final ReentrantLock lock = new ReentrantLock();

  /** Where takers wait for more calls to merge into the batch they hold. */
  private final Condition notEmpty = lock.newCondition();

  /**
   * Takers waiting for a call, the one that went idle last first: a call goes to the worker that
   * ran the previous one, whose process and CPU caches are warm. Taking turns (a condition's order)
   * made one client's requests to two workers ~30 % slower than to one.
   */
  private final ArrayDeque<Condition> idleTakers = new ArrayDeque<>();

  private final ArrayDeque<Job<?>> jobs = new ArrayDeque<>();
  private final int capacity;
  private boolean closed;
  private BackendNotReadyException refusal =
      new BackendNotReadyException("The model backend is shutting down");

  /** Why no worker will take a call again, once {@link #close(BackendNotReadyException)} said. */
  private BackendNotReadyException abandoned;

  private volatile int queued;

  /**
   * How long an idle worker spins before parking. Waking a parked thread costs tens of µs on small
   * VMs, a large share of a fast model's round trip; 50 µs of spinning per idle period is cheap.
   */
  private static final long SPIN_NANOS = 50_000;

  /** The clock of the calls' deadlines. */
  private final PoolClock clock;

  JobQueue(int capacity) {
    this(capacity, PoolClock.SYSTEM);
  }

  JobQueue(int capacity, PoolClock clock) {
    this.capacity = capacity;
    this.clock = clock;
  }

  void add(Job<?> job) {
    lock.lock();
    try {
      if (closed) {
        throw refusal;
      }
      if (jobs.size() >= capacity) {
        throw new QueueFullException(
            "The prediction queue is full (" + capacity + " requests waiting); retry later");
      }
      jobs.addLast(job);
      queued = jobs.size();
      signalOne();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Puts calls back at the head of the queue, each to run alone: after a merged call killed its
   * worker, this finds the request that did it without failing the others.
   */
  void retryAlone(List<PredictionJob> retried) {
    retried.forEach(PredictionJob::runAlone);
    putFirst(retried);
  }

  /**
   * Puts calls back at the head of the queue, in their order, e.g. while a worker is replaced. Once
   * {@link #close(BackendNotReadyException) closed for good} they fail at once instead: no worker
   * will take them.
   */
  void putFirst(List<? extends Job<?>> returned) {
    BackendNotReadyException untaken;
    lock.lock();
    try {
      untaken = abandoned;
      if (untaken == null) {
        for (int i = returned.size() - 1; i >= 0; i--) {
          jobs.addFirst(returned.get(i));
        }
        queued = jobs.size();
        signalAll();
      }
    } finally {
      lock.unlock();
    }
    if (untaken != null) {
      returned.forEach(job -> job.fail(untaken));
    }
  }

  /** Wakes every taker waiting for a call, so that it checks its {@code giveUp} condition. */
  void wakeTakers() {
    lock.lock();
    try {
      signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Removes and returns the queued calls whose deadline has passed. */
  List<Job<?>> removeExpired(long now) {
    lock.lock();
    try {
      List<Job<?>> expired = new ArrayList<>();
      jobs.removeIf(
          job -> {
            boolean gone = job.expired(now) || job.isDone();
            if (gone) {
              expired.add(job);
            }
            return gone;
          });
      queued = jobs.size();
      return expired;
    } finally {
      lock.unlock();
    }
  }

  int size() {
    lock.lock();
    try {
      return jobs.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits for a call and returns it with every queued call it can share a model call with, within
   * the policy's row limit and delay. Returns {@code null} once the queue is closed and empty, and
   * {@link #NOTHING} when {@code idleNanos} pass without a call or {@code giveUp} holds while it
   * waits (checked after each {@link #wakeTakers()}). Runs {@code beforeWaiting} once, without the
   * lock, before it would first wait (for a call, or for more to merge), and not at all when a
   * batch is there to take.
   */
  Batch takeBatch(
      BatchingPolicy policy,
      boolean merge,
      BooleanSupplier giveUp,
      long idleNanos,
      Runnable beforeWaiting)
      throws InterruptedException {
    Once once = new Once(beforeWaiting);
    if (queued == 0) {
      once.run();
    }
    long spinUntil = System.nanoTime() + SPIN_NANOS;
    while (queued == 0 && System.nanoTime() < spinUntil) {
      Thread.onSpinWait();
    }
    Condition idle = null;
    lock.lock();
    try {
      long idleLeft = idleNanos;
      while (jobs.isEmpty()) {
        if (closed) {
          return null;
        }
        if (giveUp.getAsBoolean() || idleLeft <= 0) {
          return NOTHING;
        }
        if (unlocked(once)) {
          continue; // the queue may have changed meanwhile
        }
        if (idle == null) {
          idle = lock.newCondition();
        }
        idleTakers.push(idle);
        try {
          idleLeft = idle.awaitNanos(idleLeft);
        } finally {
          idleTakers.remove(idle); // still there after a timeout or a spurious wake-up
        }
      }
      Batch batch =
          switch (jobs.pollFirst()) {
            case ControlJob<?> control -> new Batch.Control(control);
            case PredictionJob first -> new Batch.Predictions(merge(first, policy, merge, once));
          };
      queued = jobs.size();
      if (!jobs.isEmpty()) {
        signalOne(); // another worker may take what this batch left
      }
      return batch;
    } finally {
      lock.unlock();
    }
  }

  /** Wakes the taker that went idle last or, with none idle, one collecting calls to merge. */
  private void signalOne() {
    Condition idle = idleTakers.pollFirst();
    if (idle != null) {
      idle.signal();
    } else {
      notEmpty.signal();
    }
  }

  private void signalAll() {
    for (Condition idle : idleTakers) {
      idle.signal();
    }
    idleTakers.clear();
    notEmpty.signalAll();
  }

  private List<PredictionJob> merge(
      PredictionJob first, BatchingPolicy policy, boolean merge, Once beforeWaiting)
      throws InterruptedException {
    List<PredictionJob> batch = new ArrayList<>();
    batch.add(first);
    if (merge) {
      int rows = collect(first, batch, first.rows(), policy.maxRows());
      long until = System.nanoTime() + policy.maxDelay().toNanos();
      // The collected calls are neither queued nor in flight, where the deadline thread would see
      // them: the wait ends by the earliest of their deadlines.
      long waitNanos = waitLeft(until, batch);
      while (rows < policy.maxRows() && waitNanos > 0 && !closed) {
        if (!unlocked(beforeWaiting)) {
          notEmpty.awaitNanos(waitNanos);
        }
        rows = collect(first, batch, rows, policy.maxRows());
        waitNanos = waitLeft(until, batch);
      }
    }
    return batch;
  }

  /**
   * How long to wait for more calls: until {@code until}, or the earliest deadline of {@code
   * batch}'s calls if sooner. With no delay (the default) the deadlines are not looked at: this
   * runs under the queue's lock for every merged call.
   */
  private long waitLeft(long until, List<PredictionJob> batch) {
    long left = until - System.nanoTime();
    return left > 0 ? Math.min(left, timeLeft(batch)) : left;
  }

  /** The time until the earliest deadline of {@code batch}'s calls whose time limit runs. */
  private long timeLeft(List<PredictionJob> batch) {
    long now = clock.nanoTime();
    long left = Long.MAX_VALUE;
    for (PredictionJob job : batch) {
      left = Math.min(left, job.timeLeft(now));
    }
    return left;
  }

  /**
   * Runs {@code task} with the lock released, if it has not run yet; returns whether it ran. The
   * caller holds the lock once.
   */
  private boolean unlocked(Once task) {
    if (task.done) {
      return false;
    }
    lock.unlock();
    try {
      task.run();
    } finally {
      lock.lock();
    }
    return true;
  }

  /** A task that runs at most once. */
  private static final class Once implements Runnable {
    private final Runnable task;
    private boolean done;

    Once(Runnable task) {
      this.task = task;
    }

    @Override
    public void run() {
      if (!done) {
        done = true;
        task.run();
      }
    }
  }

  private int collect(PredictionJob first, List<PredictionJob> batch, int rows, int maxRows) {
    Iterator<Job<?>> candidates = jobs.iterator();
    while (candidates.hasNext() && rows < maxRows) {
      if (candidates.next() instanceof PredictionJob job
          && first.mergeableWith(job)
          && rows + job.rows() <= maxRows) {
        candidates.remove();
        batch.add(job);
        rows += job.rows();
      }
    }
    return rows;
  }

  /** Refuses new calls; takers get the remaining ones, then {@code null}. */
  void close() {
    lock.lock();
    try {
      closed = true;
      signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Refuses new calls with {@code why}, as no worker will ever take them, and removes and returns
   * the queued ones; calls put back later fail with {@code why} too.
   */
  List<Job<?>> close(BackendNotReadyException why) {
    lock.lock();
    try {
      refusal = why;
      abandoned = why;
      close();
      return drain();
    } finally {
      lock.unlock();
    }
  }

  /** Removes and returns every queued call. */
  List<Job<?>> drain() {
    lock.lock();
    try {
      List<Job<?>> rest = new ArrayList<>(jobs);
      jobs.clear();
      queued = 0;
      return rest;
    } finally {
      lock.unlock();
    }
  }
}
