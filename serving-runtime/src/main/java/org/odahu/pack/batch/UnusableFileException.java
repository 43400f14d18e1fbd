package org.odahu.pack.batch;

import java.nio.file.Path;

/** A file or directory a batch prediction needs cannot be used; checked before the model starts. */
public final class UnusableFileException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The path at fault. */
  @SuppressWarnings("serial") // Path is not Serializable; these exceptions are never serialized
  private final Path path;

  /**
   * @param path the path at fault
   * @param message what could not be done and why, naming the path
   */
  public UnusableFileException(Path path, String message) {
    super(message);
    this.path = path;
  }

  /** The path at fault. */
  public Path path() {
    return path;
  }
}
