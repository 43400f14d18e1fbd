package org.odahu.pack.pydeps.common;

/**
 * Something about a model's Python dependencies went wrong: a declaration cannot be read, a source
 * cannot be reached, a wheel is broken or the dependencies cannot be met. Messages never contain
 * credentials.
 */
public class DependencyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DependencyException(String message) {
    super(Redaction.urls(message));
  }

  public DependencyException(String message, Throwable cause) {
    super(Redaction.urls(message), cause);
  }
}
