package org.odahu.pack.gppi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether and how queued requests are merged into one model call. Merging is off by default: it
 * changes the answers of models that keep state or whose answer depends on the whole matrix. When
 * on, a worker that frees up takes the oldest request and every queued request with the same
 * columns, up to {@code maxRows} rows; with a {@code maxDelay} it waits that long for more. Models
 * whose answer has a different row count than their input are detected and then called request by
 * request.
 *
 * @param enabled whether to merge at all
 * @param maxRows most rows in one merged call
 * @param maxDelay how long to wait for more requests once one is taken; zero means never wait
 */
public record BatchingPolicy(boolean enabled, int maxRows, Duration maxDelay) {

  /** Merging is opt-in. */
  public static final boolean DEFAULT_ENABLED = false;

  /** Most rows in one merged call unless set. */
  public static final int DEFAULT_MAX_ROWS = 1024;

  /** How long a free worker waits for more requests unless set: never. */
  public static final long DEFAULT_MAX_DELAY_MILLIS = 0;

  /** Every request is its own model call (the default). */
  public static final BatchingPolicy DISABLED =
      new BatchingPolicy(false, DEFAULT_MAX_ROWS, Duration.ofMillis(DEFAULT_MAX_DELAY_MILLIS));

  /** Merge up to {@value #DEFAULT_MAX_ROWS} rows, never wait. */
  public static final BatchingPolicy ENABLED =
      new BatchingPolicy(true, DEFAULT_MAX_ROWS, Duration.ofMillis(DEFAULT_MAX_DELAY_MILLIS));

  public BatchingPolicy {
    List<InvalidOptionsException.Problem> problems = new ArrayList<>();
    if (maxRows < 1) {
      problems.add(
          new InvalidOptionsException.Problem("maxRows", "must be at least 1, got " + maxRows));
    }
    if (maxDelay == null || maxDelay.isNegative()) {
      problems.add(
          new InvalidOptionsException.Problem(
              "maxDelay",
              "must not be negative, got "
                  + (maxDelay == null ? "none" : maxDelay.toMillis() + " ms")));
    }
    InvalidOptionsException.throwIfAny(problems);
  }

  /**
   * A warning when merging waits {@code maxDelay} for more requests although that is at least the
   * call {@code timeout}: a request waiting for others to merge with would time out first (the wait
   * ends at the earliest deadline of the requests it holds).
   */
  public Optional<String> delayWarning(Duration timeout) {
    if (!enabled || maxDelay.isZero() || maxDelay.compareTo(timeout) < 0) {
      return Optional.empty();
    }
    return Optional.of(
        "The batch delay ("
            + maxDelay.toMillis()
            + " ms) is not shorter than the timeout ("
            + timeout.toMillis()
            + " ms): a request may time out waiting for others to merge with; the wait ends at"
            + " the earliest deadline of the requests it holds");
  }
}
