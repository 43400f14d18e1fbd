package org.odahu.pack.artifact.archive;

/** Reading an archive would exceed one of the {@link ExtractionLimits}. */
public final class ArchiveLimitExceededException extends ArchiveException {
  private static final long serialVersionUID = 1L;

  public ArchiveLimitExceededException(String message) {
    super(message);
  }
}
