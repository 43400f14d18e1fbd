package org.odahu.pack.pydeps.declare;

import org.odahu.pack.pydeps.common.DependencyException;

/** A dependency declaration (conda.yaml, requirements.txt, python_env.yaml) cannot be used. */
public final class DeclarationException extends DependencyException {
  private static final long serialVersionUID = 1L;

  public DeclarationException(String message) {
    super(message);
  }

  public DeclarationException(String message, Throwable cause) {
    super(message, cause);
  }
}
