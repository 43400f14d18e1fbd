package org.odahu.pack.server.http;

import java.util.Map;

/**
 * A failure on its way to the client: its status, its message and the headers that go with the
 * status. Each API's {@link ErrorEncoder} writes it in its own format.
 *
 * @param status the HTTP status code
 * @param message what went wrong, for the client
 * @param headers extra headers, e.g. {@code Retry-After} or {@code Allow}
 */
public record ApiError(int status, String message, Map<String, String> headers) {
  public ApiError {
    headers = Map.copyOf(headers);
  }

  /** An error without extra headers. */
  public static ApiError of(int status, String message) {
    return new ApiError(status, message, Map.of());
  }
}
