package org.odahu.pack.packager.manifest;

import org.odahu.pack.packager.PackagingException;

/**
 * A packaging resource breaks ODAHU's rules; the message is ODAHU's, e.g. {@code Validation of
 * model packaging is failed: ID is not valid; empty artifactName}.
 */
public final class ManifestValidationException extends PackagingException {
  private static final long serialVersionUID = 1L;

  public ManifestValidationException(String message) {
    super(message);
  }
}
