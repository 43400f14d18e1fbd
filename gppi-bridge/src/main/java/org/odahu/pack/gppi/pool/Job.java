package org.odahu.pack.gppi.pool;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One queued call and the future its caller waits on: a {@link PredictionJob} or a {@link
 * ControlJob}. Settling it twice is harmless: the first outcome wins (a call that timed out may
 * still be answered).
 *
 * @param <T> what the call answers
 */
abstract sealed class Job<T> permits PredictionJob, ControlJob {
  private final CompletableFuture<T> result = new CompletableFuture<>();
  private final long enqueuedNanos;
  private final long deadlineNanos;

  Job(long enqueuedNanos, long timeoutNanos) {
    this.enqueuedNanos = enqueuedNanos;
    this.deadlineNanos = enqueuedNanos + timeoutNanos;
  }

  /** The caller's view of the result. */
  CompletionStage<T> result() {
    return result;
  }

  /** When the call was queued, on the pool clock. */
  long enqueuedNanos() {
    return enqueuedNanos;
  }

  boolean expired(long now) {
    return now - deadlineNanos >= 0;
  }

  boolean isDone() {
    return result.isDone();
  }

  void complete(T value) {
    result.complete(value);
  }

  void fail(Throwable failure) {
    result.completeExceptionally(failure);
  }
}
