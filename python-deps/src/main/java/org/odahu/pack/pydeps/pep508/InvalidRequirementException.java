package org.odahu.pack.pydeps.pep508;

import org.odahu.pack.pydeps.common.DependencyException;

/** A text is not a PEP 508 requirement or environment marker. */
public final class InvalidRequirementException extends DependencyException {
  private static final long serialVersionUID = 1L;

  public InvalidRequirementException(String message) {
    super(message);
  }
}
