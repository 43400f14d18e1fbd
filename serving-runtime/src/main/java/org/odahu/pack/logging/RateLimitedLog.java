package org.odahu.pack.logging;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A warning or error that may recur thousands of times a second (e.g. "Too many open files"):
 * logged the first time, then at most once per period with how many were not logged in between.
 * Thread-safe.
 */
public final class RateLimitedLog {
  private final System.Logger log;
  private final long periodNanos;
  private final LongSupplier clock;
  private final AtomicLong next;
  private final AtomicLong suppressed = new AtomicLong();

  public RateLimitedLog(System.Logger log, long period, TimeUnit unit) {
    this(log, period, unit, System::nanoTime);
  }

  RateLimitedLog(System.Logger log, long period, TimeUnit unit, LongSupplier clock) {
    this.log = log;
    this.periodNanos = unit.toNanos(period);
    this.clock = clock;
    this.next = new AtomicLong(clock.getAsLong());
  }

  /** Logs {@code message} at WARNING, unless one was logged less than a period ago. */
  public void warn(String message) {
    log(System.Logger.Level.WARNING, message);
  }

  /** Logs {@code message} at {@code level}, unless one was logged less than a period ago. */
  public void log(System.Logger.Level level, String message) {
    if (!due()) {
      suppressed.incrementAndGet();
      return;
    }
    long skipped = suppressed.getAndSet(0);
    log.log(
        level, skipped == 0 ? message : message + " (" + skipped + " more since the last report)");
  }

  /**
   * Whether a report is due: true the first time, then at most once per period (for a caller that
   * words its report itself, e.g. with counts taken when it is due). Thread-safe: one caller wins.
   */
  public boolean due() {
    long now = clock.getAsLong();
    long due = next.get();
    return now - due >= 0 && next.compareAndSet(due, now + periodNanos);
  }
}
