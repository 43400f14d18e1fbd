package org.odahu.pack.server.http;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A warning that may recur thousands of times a second (e.g. "Too many open files"): logged the
 * first time, then at most once per period with how many were not logged in between. Thread-safe.
 */
final class RateLimitedLog {
  private final System.Logger log;
  private final long periodNanos;
  private final AtomicLong nextNanos = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong suppressed = new AtomicLong();

  RateLimitedLog(System.Logger log, long period, TimeUnit unit) {
    this.log = log;
    this.periodNanos = unit.toNanos(period);
  }

  /** Logs {@code message} at WARNING, unless one was logged less than a period ago. */
  void warn(String message) {
    long now = System.nanoTime();
    long next = nextNanos.get();
    if ((next != Long.MIN_VALUE && now - next < 0)
        || !nextNanos.compareAndSet(next, now + periodNanos)) {
      suppressed.incrementAndGet();
      return;
    }
    long skipped = suppressed.getAndSet(0);
    log.log(
        System.Logger.Level.WARNING,
        skipped == 0 ? message : message + " (and " + skipped + " more since the last report)");
  }
}
