package org.odahu.pack.gppi;

/** A call did not finish within the configured timeout; a worker still running it is replaced. */
public final class PredictionTimeoutException extends GppiException {
  private static final long serialVersionUID = 1L;

  public PredictionTimeoutException(String message) {
    super(message);
  }
}
