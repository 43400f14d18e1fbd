package org.odahu.pack.server.capture.s3;

/**
 * An object was not stored; the message says why and never contains credentials, the kind names the
 * failure without the details that differ between attempts (request ids), for the log.
 */
public final class ObjectUploadException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String kind;

  public ObjectUploadException(String message, Throwable cause) {
    this(message, message, cause);
  }

  public ObjectUploadException(String kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  /** What failed, e.g. {@code 403 SignatureDoesNotMatch} or {@code java.net.ConnectException}. */
  public String kind() {
    return kind;
  }
}
