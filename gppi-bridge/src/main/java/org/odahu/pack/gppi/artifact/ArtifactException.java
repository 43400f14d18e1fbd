package org.odahu.pack.gppi.artifact;

import org.odahu.pack.gppi.GppiException;

/** An artifact cannot be opened: unreadable, of an unknown format, unsafe or invalid. */
public class ArtifactException extends GppiException {
  private static final long serialVersionUID = 1L;

  public ArtifactException(String message) {
    super(message);
  }

  public ArtifactException(String message, Throwable cause) {
    super(message, cause);
  }
}
