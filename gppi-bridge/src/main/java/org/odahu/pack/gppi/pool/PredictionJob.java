package org.odahu.pack.gppi.pool;

import org.odahu.pack.gppi.BackendListener;
import org.odahu.pack.gppi.OutputStyle;
import org.odahu.pack.gppi.Prediction;
import org.odahu.pack.gppi.PredictionInput;
import org.odahu.pack.gppi.WorkerCrashedException;

/** A queued prediction: the request's rows and how to answer. */
final class PredictionJob extends Job<Prediction> {
  /** What a prediction call is, in messages. */
  static final String CALL = WorkerCrashedException.PREDICTION;

  private final PredictionInput input;
  private final OutputStyle style;
  private final boolean ndarray;
  private volatile boolean alone;
  // The merged call that raised before this call was retried alone, if it was.
  private volatile Merging.FailedMerge failedMerge;
  // Whether its wait in the queue was reported: once, though a retried call is queued again.
  private volatile boolean waitReported;

  PredictionJob(PredictionInput input, OutputStyle style, long enqueuedNanos, long timeoutNanos) {
    this(input, style, enqueuedNanos, timeoutNanos, true, false);
  }

  @Override
  String call() {
    return CALL;
  }

  /**
   * As the other constructor; {@code countsQueue}: whether the time limit runs while queued; {@code
   * ndarray}: whether matrices of numbers go to the model as arrays, so that they share model calls
   * only with each other.
   */
  PredictionJob(
      PredictionInput input,
      OutputStyle style,
      long enqueuedNanos,
      long timeoutNanos,
      boolean countsQueue,
      boolean ndarray) {
    super(enqueuedNanos, timeoutNanos, countsQueue);
    this.input = input;
    this.style = style;
    this.ndarray = ndarray;
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

  /**
   * Tells {@code listener} how long this call waited in the queue, at {@code now}, when it leaves
   * it (taken by a worker, or timed out there): once, though a retried call is queued again.
   */
  void leftQueue(long now, BackendListener listener) {
    if (!waitReported) {
      waitReported = true;
      listener.onQueueWait(now - enqueuedNanos());
    }
  }

  /** From now on this call runs in a model call of its own. */
  void runAlone() {
    alone = true;
  }

  /** From now on this call runs alone, after {@code merge}, in which it was, raised. */
  void runAloneAfter(Merging.FailedMerge merge) {
    failedMerge = merge;
    alone = true;
  }

  /** The merged call that raised before this call was retried alone, or {@code null}. */
  Merging.FailedMerge failedMerge() {
    return failedMerge;
  }

  /**
   * Whether the two may share a model call. With {@code ndarray}, matrices of numbers merge only
   * with each other, whatever their numbers' kinds (the model gets float64 arrays either way).
   */
  boolean mergeableWith(PredictionJob other) {
    if (alone || other.alone || style != other.style) {
      return false;
    }
    if (!ndarray) {
      return input.mergeableWith(other.input);
    }
    boolean numbers = input.numbers() != null;
    if (numbers != (other.input.numbers() != null)) {
      return false;
    }
    return numbers ? input.sameColumns(other.input) : input.mergeableWith(other.input);
  }
}
