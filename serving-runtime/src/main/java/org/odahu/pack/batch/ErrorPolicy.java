package org.odahu.pack.batch;

/** What a batch prediction does when the model cannot predict a chunk. */
public enum ErrorPolicy {
  /** Stop, write no result file, and say which rows failed and why. */
  FAIL,
  /** Write the chunk's rows and the error to the side file and go on. */
  SKIP
}
