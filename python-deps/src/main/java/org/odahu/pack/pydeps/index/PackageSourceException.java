package org.odahu.pack.pydeps.index;

import org.odahu.pack.pydeps.common.DependencyException;

/**
 * A package index or find-links location cannot be used: unreachable, refusing the credentials,
 * answering with an error. The message names the location with its credentials redacted.
 */
public final class PackageSourceException extends DependencyException {
  private static final long serialVersionUID = 1L;

  public PackageSourceException(String message) {
    super(message);
  }

  public PackageSourceException(String message, Throwable cause) {
    super(message, cause);
  }
}
