package org.odahu.pack.server.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A response before it meets the network: status, body, content type and extra headers. Each API's
 * codec builds its own bodies, errors included.
 *
 * @param status the HTTP status code
 * @param body the body bytes
 * @param contentType the {@code Content-Type}
 * @param headers extra headers, e.g. {@code Retry-After} or {@code Allow}
 */
// The body is handed over, never copied.
@SuppressWarnings("ArrayRecordComponent")
public record ApiResponse(
    int status, byte[] body, String contentType, Map<String, String> headers) {

  /** JSON responses' content type. */
  public static final String JSON = "application/json";

  public ApiResponse {
    if (status < 100 || status > 999) {
      throw new IllegalArgumentException("not an HTTP status: " + status);
    }
    headers = Map.copyOf(headers);
  }

  /** A JSON response. */
  public static ApiResponse json(int status, byte[] body) {
    return new ApiResponse(status, body, JSON, Map.of());
  }

  /** This response with {@code extra} headers added (replacing any of the same name). */
  public ApiResponse withHeaders(Map<String, String> extra) {
    if (extra.isEmpty()) {
      return this;
    }
    Map<String, String> merged = new LinkedHashMap<>(headers);
    merged.putAll(extra);
    return new ApiResponse(status, body, contentType, merged);
  }

  /** The body as text, for logs and capture records. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
