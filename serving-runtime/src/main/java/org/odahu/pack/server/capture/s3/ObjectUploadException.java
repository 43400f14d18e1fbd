package org.odahu.pack.server.capture.s3;

/** An object was not stored; the message says why and never contains credentials. */
public final class ObjectUploadException extends Exception {
  private static final long serialVersionUID = 1L;

  public ObjectUploadException(String message, Throwable cause) {
    super(message, cause);
  }
}
