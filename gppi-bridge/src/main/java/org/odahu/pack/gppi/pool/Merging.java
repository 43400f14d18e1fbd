package org.odahu.pack.gppi.pool;

import org.odahu.pack.gppi.runtime.WireMessages;

/**
 * Whether queued predictions are merged into one model call now. It starts as configured and goes
 * off for good once the model's answer shows that it does not answer row by row: a merged call's
 * answer that cannot be split back by request, or one request's answer with another row count than
 * its input.
 */
final class Merging {
  private static final System.Logger LOG = System.getLogger(WorkerPool.class.getName());

  private volatile boolean on;

  Merging(boolean on) {
    this.on = on;
  }

  boolean isOn() {
    return on;
  }

  /** The model's answer to a merged call of {@code sentRows} cannot be split back by request. */
  void turnOff(WireMessages.RowMismatch mismatch, int sentRows) {
    if (switchOff()) {
      String answered =
          mismatch.answerType().isEmpty()
              ? mismatch.rows() + " rows"
              : "a " + mismatch.answerType() + ", which has no rows to split by position";
      LOG.log(
          System.Logger.Level.WARNING,
          "The model answered {0} for a merged batch of {1} rows: batching is now off for this"
              + " model and the batch is retried request by request",
          answered,
          sentRows);
    }
  }

  /**
   * The model answered {@code answeredRows} rows (-1: an answer without rows) to one request of
   * {@code sentRows}: its answers could not be split back by request if it were merged.
   */
  void turnOffAlone(int answeredRows, int sentRows) {
    if (switchOff()) {
      LOG.log(
          System.Logger.Level.WARNING,
          "The model answered {0} for a request of {1} rows: batching is now off for this model",
          answeredRows < 0 ? "no rows" : answeredRows + " rows",
          sentRows);
    }
  }

  /** Turns merging off; whether it was on, so that only the first caller logs. */
  private synchronized boolean switchOff() {
    boolean was = on;
    on = false;
    return was;
  }
}
