package org.odahu.pack.server.capture.s3;

import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * How often and how long a failed upload is tried again: exponentially growing waits from {@code
 * initial} up to {@code max}, each jittered, for at most {@code attempts} attempts in all.
 *
 * @param initial the wait after the first failure (before jitter)
 * @param max the longest wait
 * @param attempts attempts in all, the first included
 */
public record Backoff(Duration initial, Duration max, int attempts) {
  /**
   * 0.5 s doubling up to 30 s, 10 attempts: an object is tried for about two minutes (attempts that
   * take long themselves leave fewer; see {@link #budget}).
   */
  public static final Backoff DEFAULT =
      new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), 10);

  public Backoff {
    if (initial == null || initial.isNegative() || initial.isZero()) {
      throw new IllegalArgumentException("initial wait must be positive, got " + initial);
    }
    if (max == null || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("max wait must be at least the initial one, got " + max);
    }
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1, got " + attempts);
    }
  }

  /**
   * The wait before trying again after attempt number {@code failed} (1 for the first) failed, or
   * empty when no attempt is left. The wait is between half and all of {@code initial * 2^(failed -
   * 1)}, capped at {@code max}: replicas that failed together do not retry together.
   */
  public Optional<Duration> after(int failed, RandomGenerator random) {
    if (failed >= attempts) {
      return Optional.empty();
    }
    long cap = max.toNanos();
    long full = initial.toNanos();
    for (int i = 1; i < failed && full < cap; i++) {
      full = full > cap / 2 ? cap : full * 2;
    }
    full = Math.min(full, cap);
    long half = full / 2;
    return Optional.of(Duration.ofNanos(half + random.nextLong(full - half + 1)));
  }

  /**
   * How long after its first attempt an object may still be tried: every wait, and a second for
   * each attempt. Against a store that holds each attempt until it times out, fewer attempts fit.
   */
  public Duration budget() {
    return longestTotalWait().plusSeconds(attempts);
  }

  /** The longest total wait over every attempt: what a batch may hold memory for. */
  public Duration longestTotalWait() {
    Duration total = Duration.ZERO;
    Duration wait = initial;
    for (int failed = 1; failed < attempts; failed++) {
      total = total.plus(wait);
      wait = wait.multipliedBy(2).compareTo(max) > 0 ? max : wait.multipliedBy(2);
    }
    return total;
  }
}
