package org.odahu.pack.server.capture.s3;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Keeps a repeated warning to one report per kind and interval, counting the occurrences skipped in
 * between. Each kind has its own interval: a transport error and the store's real answer (403:
 * wrong credentials) are both shown, however they alternate. Thread-safe.
 */
final class Throttle {
  /** Kinds remembered at once; more (a store answering in ever new ways) start afresh. */
  private static final int MAX_KINDS = 16;

  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final Map<String, Long> lastReport = new HashMap<>();
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
    return occurred("");
  }

  /** As {@link #occurred()}, for an occurrence of {@code kind}. */
  synchronized long occurred(String kind) {
    long now = nanoTime.getAsLong();
    Long last = lastReport.get(kind);
    if (last != null && now - last < intervalNanos) {
      skipped++;
      return -1;
    }
    if (lastReport.size() >= MAX_KINDS) {
      lastReport.clear();
    }
    lastReport.put(kind, now);
    long before = skipped;
    skipped = 0;
    return before;
  }

  /** Ends a run of occurrences; true when one was reported since the last reset. */
  synchronized boolean reset() {
    boolean was = !lastReport.isEmpty();
    lastReport.clear();
    skipped = 0;
    return was;
  }
}
