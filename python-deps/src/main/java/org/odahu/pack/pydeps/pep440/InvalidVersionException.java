package org.odahu.pack.pydeps.pep440;

import org.odahu.pack.pydeps.common.DependencyException;

/** A text is not a PEP 440 version or version specifier. */
public final class InvalidVersionException extends DependencyException {
  private static final long serialVersionUID = 1L;

  public InvalidVersionException(String message) {
    super(message);
  }
}
