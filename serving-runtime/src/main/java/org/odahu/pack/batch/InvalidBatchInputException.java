package org.odahu.pack.batch;

import org.odahu.pack.gppi.GppiException;

/** The input file is not what its format says; the message names the file and the row or place. */
public final class InvalidBatchInputException extends GppiException {
  private static final long serialVersionUID = 1L;

  public InvalidBatchInputException(String message) {
    super(message);
  }

  public InvalidBatchInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
