package org.odahu.pack.gppi.artifact;

/** Extracting an archive would exceed one of the {@link ExtractionLimits}. */
public final class ArchiveLimitExceededException extends ArtifactException {
  private static final long serialVersionUID = 1L;

  public ArchiveLimitExceededException(String message) {
    super(message);
  }
}
