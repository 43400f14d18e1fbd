package org.odahu.pack.gppi.pool;

import org.odahu.pack.gppi.OutputStyle;
import org.odahu.pack.gppi.Prediction;
import org.odahu.pack.gppi.PredictionInput;

/** A queued prediction: the request's rows and how to answer. */
final class PredictionJob extends Job<Prediction> {
  private final PredictionInput input;
  private final OutputStyle style;
  private volatile boolean alone;

  PredictionJob(PredictionInput input, OutputStyle style, long enqueuedNanos, long timeoutNanos) {
    this(input, style, enqueuedNanos, timeoutNanos, true);
  }

  /** As the other constructor; {@code countsQueue}: whether the time limit runs while queued. */
  PredictionJob(
      PredictionInput input,
      OutputStyle style,
      long enqueuedNanos,
      long timeoutNanos,
      boolean countsQueue) {
    super(enqueuedNanos, timeoutNanos, countsQueue);
    this.input = input;
    this.style = style;
  }

  PredictionInput input() {
    return input;
  }

  OutputStyle style() {
    return style;
  }

  int rows() {
    return input.rowCount();
  }

  /** From now on this call runs in a model call of its own. */
  void runAlone() {
    alone = true;
  }

  boolean mergeableWith(PredictionJob other) {
    return !alone && !other.alone && style == other.style && input.mergeableWith(other.input);
  }
}
