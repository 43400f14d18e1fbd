package org.odahu.pack.artifact.archive;

/** An archive cannot be read safely: an entry it must not hold, a limit it exceeds, bad data. */
public class ArchiveException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ArchiveException(String message) {
    super(message);
  }

  public ArchiveException(String message, Throwable cause) {
    super(message, cause);
  }
}
