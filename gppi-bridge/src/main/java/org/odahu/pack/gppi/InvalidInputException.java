package org.odahu.pack.gppi;

/**
 * A prediction request that cannot be given to a model: unreadable, not JSON, no matrix, ragged
 * rows... The message follows ODAHU's model server where it has one ({@code Matrix is not
 * provided}, {@code Can not parse input as JSON: ...}).
 */
public final class InvalidInputException extends GppiException {
  private static final long serialVersionUID = 1L;

  public InvalidInputException(String message) {
    super(message);
  }
}
