package org.odahu.pack.gppi;

/** Base of every error this module reports; the message is written for the user. */
public class GppiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public GppiException(String message) {
    super(message);
  }

  public GppiException(String message, Throwable cause) {
    super(message, cause);
  }
}
