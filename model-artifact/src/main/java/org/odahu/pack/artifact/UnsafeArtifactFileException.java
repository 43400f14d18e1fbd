package org.odahu.pack.artifact;

/**
 * A file of a directory artifact that must not be used: a link that leaves the artifact or does not
 * resolve, a device, a FIFO or a socket.
 */
public final class UnsafeArtifactFileException extends ArtifactException {
  private static final long serialVersionUID = 1L;
  private final String file;

  public UnsafeArtifactFileException(String file, String reason) {
    super("Refusing the model artifact's file '" + file + "': " + reason);
    this.file = file;
  }

  /** The file's path relative to the artifact. */
  public String file() {
    return file;
  }
}
