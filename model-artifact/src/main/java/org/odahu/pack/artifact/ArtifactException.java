package org.odahu.pack.artifact;

/**
 * An artifact cannot be opened: unreadable, of an unknown format, unsafe or invalid. (Problems of
 * an archive's entries are {@link org.odahu.pack.artifact.archive.ArchiveException}s.)
 */
public class ArtifactException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ArtifactException(String message) {
    super(message);
  }

  public ArtifactException(String message, Throwable cause) {
    super(message, cause);
  }
}
