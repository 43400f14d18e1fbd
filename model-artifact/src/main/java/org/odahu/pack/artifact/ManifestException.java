package org.odahu.pack.artifact;

/**
 * The model manifest is missing or invalid. Messages follow ODAHU's packagers, e.g. {@code
 * Unsupported model binaries type: java} or {@code Model section is not set}.
 */
public final class ManifestException extends ArtifactException {
  private static final long serialVersionUID = 1L;

  public ManifestException(String message) {
    super(message);
  }

  public ManifestException(String message, Throwable cause) {
    super(message, cause);
  }
}
