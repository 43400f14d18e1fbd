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

  private final PoolClock clock;
  private long aliveSince;
  private int failures;

  RestartBackoff(PoolClock clock) {
    this.clock = clock;
  }

  /** Whether the next start follows a failure and so must wait {@link #delayMillis} first. */
  boolean isBackingOff() {
    return failures > 0;
  }

  /** The wait before the next start: doubling with each failure, capped at {@code maxDelay}. */
  long delayMillis(Duration maxDelay) {
    return Math.min(maxDelay.toMillis(), FIRST_RESTART_DELAY_MILLIS << Math.min(failures - 1, 20));
  }

  /** Records a successful start; the failure count stays until the worker proves stable. */
  void started() {
    aliveSince = clock.nanoTime();
  }

  /** Records a failed start and returns how many failures in a row that makes. */
  int startFailed() {
    return ++failures;
  }

  /**
   * Records a lost worker. A loss that is not the worker's fault (a timeout kill) clears the count;
   * one after a stable uptime starts it again at one; an early one adds to it.
   */
  void lost(boolean countsAsFailure) {
    if (!countsAsFailure) {
      failures = 0;
    } else if (clock.nanoTime() - aliveSince < STABLE_NANOS) {
      failures++;
    } else {
      failures = 1;
    }
  }
}
