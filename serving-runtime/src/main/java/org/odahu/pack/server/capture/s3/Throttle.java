package org.odahu.pack.server.capture.s3;

import java.util.function.LongSupplier;

/**
 * Keeps a repeated warning to the first occurrence and then one report per interval, counting the
 * occurrences in between. Thread-safe.
 */
final class Throttle {
  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private boolean reported;
  private long lastNanos;
  private long skipped;

  Throttle(long intervalNanos, LongSupplier nanoTime) {
    this.intervalNanos = intervalNanos;
    this.nanoTime = nanoTime;
  }

  /**
   * Records one occurrence.
   *
   * @return -1 when it should not be reported; else the occurrences skipped since the last report
   */
  synchronized long occurred() {
    long now = nanoTime.getAsLong();
    if (reported && now - lastNanos < intervalNanos) {
      skipped++;
      return -1;
    }
    long before = skipped;
    reported = true;
    lastNanos = now;
    skipped = 0;
    return before;
  }

  /** Ends a run of occurrences; true when one was reported since the last reset. */
  synchronized boolean reset() {
    boolean was = reported;
    reported = false;
    skipped = 0;
    return was;
  }
}
