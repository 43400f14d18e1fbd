package org.odahu.pack.batch;

import org.odahu.pack.gppi.GppiException;

/**
 * The model's answers cannot be put together row by row: an answer has another number of rows than
 * its chunk, or other column names than the answers before it.
 */
public final class AnswerShapeException extends GppiException {
  private static final long serialVersionUID = 1L;

  public AnswerShapeException(String message) {
    super(message);
  }
}
