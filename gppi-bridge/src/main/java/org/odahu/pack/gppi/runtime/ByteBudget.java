package org.odahu.pack.gppi.runtime;

import java.util.function.LongSupplier;

/** A token bucket of bytes refilled at an {@link OutputLimit}'s rate. Not thread-safe. */
final class ByteBudget {
  private final OutputLimit limit;
  private final LongSupplier nanoTime;
  private double available;
  private long refilledAt;

  ByteBudget(OutputLimit limit, LongSupplier nanoTime) {
    this.limit = limit;
    this.nanoTime = nanoTime;
    this.available = (double) limit.burstBytes();
    this.refilledAt = nanoTime.getAsLong();
  }

  /**
   * Takes {@code bytes} (at most a burst) if that many are available now; when {@code recovering}
   * from a shortage, only once half a burst has built up again, so that a steady flood gives a few
   * long gaps rather than a line every few milliseconds.
   */
  boolean take(long bytes, boolean recovering) {
    long now = nanoTime.getAsLong();
    double burst = (double) limit.burstBytes();
    double refill = (double) (now - refilledAt) * 1e-9 * (double) limit.bytesPerSecond();
    available = Math.min(burst, available + refill);
    refilledAt = now;
    double cost = Math.min((double) bytes, burst);
    if (available < cost || (recovering && available < burst / 2)) {
      return false;
    }
    available -= cost;
    return true;
  }
}
