package org.odahu.pack.gppi;

/** No worker can take calls: the model failed to start, or the backend is closed. */
public final class BackendNotReadyException extends GppiException {
  private static final long serialVersionUID = 1L;

  public BackendNotReadyException(String message) {
    super(message);
  }
}
