package org.odahu.pack.server.http;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A response before it meets Netty: status, body, content type and extra headers.
 *
 * @param status the HTTP status
 * @param body the body bytes
 * @param contentType the {@code Content-Type}
 * @param headers extra headers, e.g. {@code Retry-After} or {@code Allow}
 */
// The body is handed over, never copied.
@SuppressWarnings("ArrayRecordComponent")
public record ApiResponse(
    HttpResponseStatus status, byte[] body, String contentType, Map<String, String> headers) {

  /** JSON responses' content type. */
  public static final String JSON = "application/json";

  public ApiResponse {
    headers = Map.copyOf(headers);
  }

  /** A JSON response. */
  public static ApiResponse json(HttpResponseStatus status, byte[] body) {
    return new ApiResponse(status, body, JSON, Map.of());
  }

  /** An error as ODAHU's model server writes it: {@code {"message": "..."}}. */
  public static ApiResponse error(HttpResponseStatus status, String message) {
    return error(status, message, Map.of());
  }

  /** An error with extra headers. */
  public static ApiResponse error(
      HttpResponseStatus status, String message, Map<String, String> headers) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(message.length() + 16);
    out.writeBytes("{\"message\": \"".getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(JsonStringEncoder.getInstance().quoteAsUTF8(message));
    out.writeBytes("\"}".getBytes(StandardCharsets.US_ASCII));
    return new ApiResponse(status, out.toByteArray(), JSON, headers);
  }

  /** The body as text, for logs and capture records. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
