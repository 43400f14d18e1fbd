package org.odahu.pack.gppi.pool;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.odahu.pack.gppi.BackendListener;
import org.odahu.pack.gppi.PredictionTimeoutException;

/**
 * The pool's deadline thread: fails calls that waited or ran past the timeout and kills workers
 * whose call overran it. One pass every tick instead of a timer task per call, which would cost
 * every call a schedule, a cancel and often a thread wake-up.
 */
final class DeadlineWatcher implements Runnable {
  private static final System.Logger LOG = System.getLogger(WorkerPool.class.getName());

  private final JobQueue queue;
  private final List<CallGuard> guards;
  private final PoolClock clock;
  private final Duration timeout;
  private final CountDownLatch closing;
  private final BackendListener listener;

  DeadlineWatcher(
      JobQueue queue,
      List<CallGuard> guards,
      PoolClock clock,
      Duration timeout,
      CountDownLatch closing,
      BackendListener listener) {
    this.queue = queue;
    this.guards = List.copyOf(guards);
    this.clock = clock;
    this.timeout = timeout;
    this.closing = closing;
    this.listener = listener;
  }

  @Override
  public void run() {
    long tick = Math.max(10, Math.min(100, timeout.toMillis() / 10));
    try {
      while (!closing.await(tick, TimeUnit.MILLISECONDS)) {
        try {
          check();
        } catch (RuntimeException | Error e) {
          // This thread alone ends calls that overrun: it outlives a failed pass (an
          // OutOfMemoryError a request's decoding caused on another thread can surface here),
          // and a log that fails for the same reason.
          try {
            LOG.log(System.Logger.Level.ERROR, "Checking prediction deadlines failed", e);
          } catch (RuntimeException | Error unlogged) {
            // the next pass tries again
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The failure of a call whose time ran out before a worker took it. */
  static PredictionTimeoutException waitedTooLong(Job<?> job, Duration timeout) {
    return new PredictionTimeoutException(
        job.timedOut(timeout.toSeconds()) + " waiting for a free worker");
  }

  /** One pass over the queue and the calls in flight. */
  void check() {
    long now = clock.nanoTime();
    for (Job<?> job : queue.removeExpired(now)) {
      if (job instanceof PredictionJob prediction) {
        prediction.leftQueue(now, listener);
      }
      job.fail(waitedTooLong(job, timeout));
    }
    for (CallGuard guard : guards) {
      InFlightCall call = guard.inFlight();
      if (call == null) {
        continue;
      }
      for (Job<?> job : call.jobs()) {
        if (!job.isDone() && job.expired(now)) {
          job.fail(new PredictionTimeoutException(job.timedOut(timeout.toSeconds())));
        }
      }
      // Kills only if this very call is still in flight: the slot may have moved on meanwhile.
      if (call.overdue(now)) {
        guard.expire(call);
      }
    }
  }
}
