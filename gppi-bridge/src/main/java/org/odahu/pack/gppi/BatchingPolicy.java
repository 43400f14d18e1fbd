package org.odahu.pack.gppi;

import java.time.Duration;

/**
 * How queued requests are merged into one model call. When a worker frees up it takes the oldest
 * request and every queued request with the same columns, up to {@code maxRows} rows; with a {@code
 * maxDelay} it waits that long for more. Models whose answer has a different row count than their
 * input are detected and then called request by request.
 *
 * @param enabled whether to merge at all (switch off for stateful models)
 * @param maxRows most rows in one merged call
 * @param maxDelay how long to wait for more requests once one is taken; zero means never wait
 */
public record BatchingPolicy(boolean enabled, int maxRows, Duration maxDelay) {

  /** Merge up to 1024 rows, never wait. */
  public static final BatchingPolicy DEFAULT = new BatchingPolicy(true, 1024, Duration.ZERO);

  /** Every request is its own model call. */
  public static final BatchingPolicy DISABLED = new BatchingPolicy(false, 1, Duration.ZERO);

  public BatchingPolicy {
    if (maxRows < 1) {
      throw new IllegalArgumentException("maxRows must be at least 1, got " + maxRows);
    }
    if (maxDelay.isNegative()) {
      throw new IllegalArgumentException("maxDelay must not be negative, got " + maxDelay);
    }
  }
}
