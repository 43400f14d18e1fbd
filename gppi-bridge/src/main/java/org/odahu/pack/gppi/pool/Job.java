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
  private final long timeoutNanos;
  private volatile boolean limited;
  private volatile long deadlineNanos;

  /** A call whose time limit runs from when it is queued. */
  Job(long enqueuedNanos, long timeoutNanos) {
    this(enqueuedNanos, timeoutNanos, true);
  }

  /**
   * @param timeoutNanos how long the call may take
   * @param countsQueue whether that time runs from now (queued) or from {@link #started}
   */
  Job(long enqueuedNanos, long timeoutNanos, boolean countsQueue) {
    this.enqueuedNanos = enqueuedNanos;
    this.timeoutNanos = timeoutNanos;
    this.limited = countsQueue;
    this.deadlineNanos = enqueuedNanos + timeoutNanos;
  }

  /** What the model is asked, for messages: {@code the prediction}, {@code info()}. */
  abstract String call();

  /**
   * The message of this call's time running out: {@code Prediction timed out after 60 s} (ODAHU's
   * words), {@code info() timed out after 60 s}.
   */
  String timedOut(long seconds) {
    String call = call();
    String subject =
        call.equals(PredictionJob.CALL)
            ? "Prediction"
            : call.startsWith("the ") ? "The " + call.substring(4) : call;
    return subject + " timed out after " + seconds + " s";
  }

  /** The caller's view of the result. */
  CompletionStage<T> result() {
    return result;
  }

  /** When the call was queued, on the pool clock. */
  long enqueuedNanos() {
    return enqueuedNanos;
  }

  /** A worker took the call at {@code now}: its time limit runs from here if not from the queue. */
  void started(long now) {
    if (!limited) {
      deadlineNanos = now + timeoutNanos;
      limited = true;
    }
  }

  /** Nanoseconds from {@code now} to the deadline, or {@link Long#MAX_VALUE} if none runs yet. */
  long timeLeft(long now) {
    return limited ? deadlineNanos - now : Long.MAX_VALUE;
  }

  boolean expired(long now) {
    return limited && now - deadlineNanos >= 0;
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
