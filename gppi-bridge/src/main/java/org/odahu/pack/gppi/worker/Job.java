package org.odahu.pack.gppi.worker;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import org.odahu.pack.gppi.OutputStyle;
import org.odahu.pack.gppi.PredictionInput;

/** One queued call: a prediction, an {@code info()} or a self-check, and its result. */
final class Job {
  final int type;
  final PredictionInput input;
  final OutputStyle style;
  final long enqueuedNanos = System.nanoTime();
  final CompletableFuture<Object> result = new CompletableFuture<>();
  private volatile ScheduledFuture<?> deadline;
  private volatile boolean alone;

  private Job(int type, PredictionInput input, OutputStyle style) {
    this.type = type;
    this.input = input;
    this.style = style;
  }

  static Job predict(PredictionInput input, OutputStyle style) {
    return new Job(Frames.PREDICT, input, style);
  }

  static Job control(int type) {
    return new Job(type, null, OutputStyle.COMPACT);
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

  void deadline(ScheduledFuture<?> deadline) {
    this.deadline = deadline;
  }

  boolean isDone() {
    return result.isDone();
  }

  void complete(Object value) {
    cancelDeadline();
    result.complete(value);
  }

  void fail(Throwable failure) {
    cancelDeadline();
    result.completeExceptionally(failure);
  }

  private void cancelDeadline() {
    ScheduledFuture<?> scheduled = deadline;
    if (scheduled != null) {
      scheduled.cancel(false);
    }
  }
}
