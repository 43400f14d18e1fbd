package org.odahu.pack.gppi.pool;

/**
 * Whether queued predictions are merged into one model call now. It starts as configured and goes
 * off for good once the model answers a merged call with another row count.
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

  /** The model answered {@code answeredRows} rows to a merged call of {@code sentRows}. */
  void turnOff(int answeredRows, int sentRows) {
    if (on) {
      on = false;
      LOG.log(
          System.Logger.Level.WARNING,
          "The model answered {0} rows for a merged batch of {1}: batching is now off for this"
              + " model and the batch is retried request by request",
          answeredRows,
          sentRows);
    }
  }
}
