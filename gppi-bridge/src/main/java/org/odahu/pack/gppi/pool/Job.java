package org.odahu.pack.gppi.pool;

import java.util.concurrent.CompletableFuture;
import org.odahu.pack.gppi.OutputStyle;
import org.odahu.pack.gppi.PredictionInput;
import org.odahu.pack.gppi.runtime.Frames;

/** One queued call: a prediction, an {@code info()} or a self-check, and its result. */
final class Job {
  final int type;
  final PredictionInput input;
  final OutputStyle style;
  final long enqueuedNanos = System.nanoTime();
  final long deadlineNanos;
  final CompletableFuture<Object> result = new CompletableFuture<>();
  private volatile boolean alone;

  private Job(int type, PredictionInput input, OutputStyle style, long timeoutNanos) {
    this.type = type;
    this.input = input;
    this.style = style;
    this.deadlineNanos = enqueuedNanos + timeoutNanos;
  }

  static Job predict(PredictionInput input, OutputStyle style, long timeoutNanos) {
    return new Job(Frames.PREDICT, input, style, timeoutNanos);
  }

  static Job control(int type, long timeoutNanos) {
    return new Job(type, null, OutputStyle.COMPACT, timeoutNanos);
  }

  boolean expired(long now) {
    return now - deadlineNanos >= 0;
  }

  int rows() {
    return input == null ? 0 : input.rows().count();
  }

  /** From now on this call runs in a model call of its own. */
  void runAlone() {
    alone = true;
  }

  boolean mergeableWith(Job other) {
    return !alone
        && !other.alone
        && type == Frames.PREDICT
        && other.type == Frames.PREDICT
        && style == other.style
        && input.mergeableWith(other.input);
  }

  boolean isDone() {
    return result.isDone();
  }

  void complete(Object value) {
    result.complete(value);
  }

  void fail(Throwable failure) {
    result.completeExceptionally(failure);
  }
}
