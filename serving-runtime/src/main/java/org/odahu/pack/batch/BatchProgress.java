package org.odahu.pack.batch;

/**
 * Where a batch prediction is.
 *
 * @param rows rows predicted and written so far
 * @param failedRows rows whose chunk failed and went to the side file
 * @param rowsRead rows read so far, predicted or on their way (read ahead for the workers)
 * @param bytesRead bytes of the input (of this shard's range) read so far
 * @param bytesTotal bytes of the input (of this shard's range)
 * @param elapsedNanos time since the model started predicting
 * @param finished whether this is the last report of a successful run
 */
public record BatchProgress(
    long rows,
    long failedRows,
    long rowsRead,
    long bytesRead,
    long bytesTotal,
    long elapsedNanos,
    boolean finished) {

  /** The share of the input read, 0 to 1. */
  public double fraction() {
    return bytesTotal <= 0 ? 1 : Math.min(1, (double) bytesRead / bytesTotal);
  }

  /** Rows predicted per second so far. */
  public double rowsPerSecond() {
    return elapsedNanos <= 0 ? 0 : (rows + failedRows) * 1e9 / elapsedNanos;
  }

  /**
   * Seconds left at the pace so far, judged by the bytes read and the share of the rows read that
   * are done (reading runs ahead of the model by a few chunks); -1 while unknown.
   */
  public long secondsLeft() {
    double done = rowsRead <= 0 ? 0 : Math.min(1, (double) (rows + failedRows) / rowsRead);
    double fraction = fraction() * done;
    if (fraction <= 0 || elapsedNanos <= 0) {
      return -1;
    }
    return Math.round(elapsedNanos / 1e9 * (1 - fraction) / fraction);
  }
}
