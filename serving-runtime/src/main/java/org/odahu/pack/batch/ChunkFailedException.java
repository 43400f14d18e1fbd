package org.odahu.pack.batch;

import org.odahu.pack.gppi.GppiException;

/**
 * The model could not predict a chunk of rows (it raised, its worker died twice, it timed out); the
 * message names the rows unless the whole input was one chunk.
 */
public final class ChunkFailedException extends GppiException {
  private static final long serialVersionUID = 1L;

  /** The input row number of the chunk's first row, from 1. */
  private final long firstRow;

  /** The input row number of its last row. */
  private final long lastRow;

  public ChunkFailedException(String message, long firstRow, long lastRow, Throwable cause) {
    super(message, cause);
    this.firstRow = firstRow;
    this.lastRow = lastRow;
  }

  /** The input row number of the chunk's first row, from 1. */
  public long firstRow() {
    return firstRow;
  }

  /** The input row number of the chunk's last row. */
  public long lastRow() {
    return lastRow;
  }
}
