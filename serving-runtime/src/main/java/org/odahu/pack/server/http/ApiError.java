package org.odahu.pack.server.http;

import java.util.Map;

/**
 * A failure on its way to the client: its status, its message and the headers that go with the
 * status. Each API's {@link ErrorEncoder} writes it in its own format.
 *
 * @param status the HTTP status code
 * @param message what went wrong, for the client
 * @param headers extra headers, e.g. {@code Retry-After} or {@code Allow}
 * @param modelRaised whether the model's own code raised (APIs differ on its status: MLflow's
 *     scoring server answers 400, ODAHU's 500)
 */
public record ApiError(
    int status, String message, Map<String, String> headers, boolean modelRaised) {
  public ApiError {
    headers = Map.copyOf(headers);
  }

  /** An error that is not the model's exception. */
  public ApiError(int status, String message, Map<String, String> headers) {
    this(status, message, headers, false);
  }

  /** An error without extra headers. */
  public static ApiError of(int status, String message) {
    return new ApiError(status, message, Map.of());
  }
}
