package org.odahu.pack.packager;

/** Packaging cannot proceed; the message says why, for the user. */
public class PackagingException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PackagingException(String message) {
    super(message);
  }

  public PackagingException(String message, Throwable cause) {
    super(message, cause);
  }
}
