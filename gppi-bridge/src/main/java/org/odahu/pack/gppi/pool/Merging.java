package org.odahu.pack.gppi.pool;

import org.odahu.pack.gppi.runtime.WireMessages;

/**
 * Whether queued predictions are merged into one model call now. It starts as configured and goes
 * off for good once the model's answer shows that it does not answer row by row: a merged call's
 * answer that cannot be split back by request, one request's answer with another row count than its
 * input, or merged calls that raise while each of their requests succeeds alone (a model that takes
 * one row at a time), {@link #FAILED_MERGES_IN_A_ROW} times in a row.
 */
final class Merging {
  private static final System.Logger LOG = System.getLogger(WorkerPool.class.getName());

  /** Merged calls raising while their requests succeed alone that turn merging off. */
  static final int FAILED_MERGES_IN_A_ROW = 3;

  private volatile boolean on;
  private int failedMergesInARow;

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

  /**
   * A merged call that raised, whose requests are retried alone: once each has its outcome, whether
   * any failed alone too (a bad request) or all succeeded (the merge itself failed).
   */
  final class FailedMerge {
    private int left;
    private boolean anyFailed;

    FailedMerge(int requests) {
      left = requests;
    }

    /** One of the requests, run alone, succeeded or not. */
    void settled(boolean succeeded) {
      boolean done;
      synchronized (this) {
        anyFailed |= !succeeded;
        done = --left == 0;
      }
      if (done) {
        merged(anyFailed);
      }
    }
  }

  /** A failed merge for {@code requests} merged requests about to be retried alone. */
  FailedMerge failedMerge(int requests) {
    return new FailedMerge(requests);
  }

  private void merged(boolean aRequestFailedAlone) {
    int inARow;
    synchronized (this) {
      failedMergesInARow = aRequestFailedAlone ? 0 : failedMergesInARow + 1;
      inARow = failedMergesInARow;
    }
    if (inARow >= FAILED_MERGES_IN_A_ROW && switchOff()) {
      LOG.log(
          System.Logger.Level.WARNING,
          "{0} merged calls in a row raised while each of their requests succeeded alone: the"
              + " model takes one request at a time, and batching is now off for it",
          inARow);
    }
  }

  /** Turns merging off; whether it was on, so that only the first caller logs. */
  private synchronized boolean switchOff() {
    boolean was = on;
    on = false;
    return was;
  }
}
