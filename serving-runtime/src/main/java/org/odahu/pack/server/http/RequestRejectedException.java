package org.odahu.pack.server.http;

/**
 * A request an API's codec or service refuses with a status of its own, e.g. 404 for a model the
 * server does not serve or 415 for a body type the API does not read; {@link ErrorMapping} answers
 * it with exactly its {@link ApiError}.
 */
public final class RequestRejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient ApiError error;

  /** A refusal with {@code status} and {@code message}. */
  public RequestRejectedException(int status, String message) {
    this(ApiError.of(status, message));
  }

  /** A refusal answered with {@code error}. */
  public RequestRejectedException(ApiError error) {
    super(error.message());
    this.error = error;
  }

  /** The error the client gets. */
  public ApiError error() {
    return error;
  }
}
