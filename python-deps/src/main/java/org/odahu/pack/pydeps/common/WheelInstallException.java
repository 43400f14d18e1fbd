package org.odahu.pack.pydeps.common;

/** A wheel cannot be installed: not a valid wheel, a file outside its tree, a bad hash. */
public final class WheelInstallException extends DependencyException {
  private static final long serialVersionUID = 1L;

  public WheelInstallException(String message) {
    super(message);
  }

  public WheelInstallException(String message, Throwable cause) {
    super(message, cause);
  }
}
