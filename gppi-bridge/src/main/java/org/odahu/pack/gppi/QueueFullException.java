package org.odahu.pack.gppi;

/** The bounded call queue is full: the caller should retry later. */
public final class QueueFullException extends GppiException {
  private static final long serialVersionUID = 1L;

  public QueueFullException(String message) {
    super(message);
  }
}
