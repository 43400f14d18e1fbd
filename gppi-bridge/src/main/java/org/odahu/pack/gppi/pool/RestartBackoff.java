package org.odahu.pack.gppi.pool;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The restart bookkeeping of one {@link WorkerSlot}: how many starts or short-lived workers have
 * failed in a row, and how long to back off before the next start. Used only by the slot's own
 * thread, so it needs no synchronisation.
 */
final class RestartBackoff {
  private static final long STABLE_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final long FIRST_RESTART_DELAY_MILLIS = 100;

  /**
   * The longest wait after workers that started and then died: a request that crashes its worker,
   * retried by its client, must not keep every other request from a worker for half a minute. A
   * model that cannot start at all backs off up to the pool's {@code maxRestartDelay}.
   */
  static final long MAX_DELAY_AFTER_LOSS_MILLIS = 1000;

  private final PoolClock clock;
  private long aliveSince;
  private int failures;
  private boolean startsFail;

  RestartBackoff(PoolClock clock) {
    this.clock = clock;
  }

  /** Whether the next start follows a failure and so must wait {@link #delayMillis} first. */
  boolean isBackingOff() {
    return failures > 0;
  }

  /**
   * The wait before the next start: doubling with each failure, capped at {@code maxDelay}, or at
   * {@link #MAX_DELAY_AFTER_LOSS_MILLIS} when the last failure was a worker that had started.
   */
  long delayMillis(Duration maxDelay) {
    long cap =
        startsFail
            ? maxDelay.toMillis()
            : Math.min(maxDelay.toMillis(), MAX_DELAY_AFTER_LOSS_MILLIS);
    return Math.min(cap, FIRST_RESTART_DELAY_MILLIS << Math.min(failures - 1, 20));
  }

  /** Records a successful start; the failure count stays until the worker proves stable. */
  void started() {
    aliveSince = clock.nanoTime();
  }

  /** Records a failed start and returns how many failures in a row that makes. */
  int startFailed() {
    startsFail = true;
    return ++failures;
  }

  /**
   * Records a lost worker. A loss that is not the worker's fault (a timeout kill) clears the count;
   * one after a stable uptime starts it again at one; an early one adds to it.
   */
  void lost(boolean countsAsFailure) {
    startsFail = false;
    if (!countsAsFailure) {
      failures = 0;
    } else if (clock.nanoTime() - aliveSince < STABLE_NANOS) {
      failures++;
    } else {
      failures = 1;
    }
  }
}
