package org.odahu.pack.server.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The headers a response is sent with, in one place for the wire and for capture records: content
 * type and length, the request id, the model's name and version for model APIs, and the response's
 * own headers.
 */
final class ResponseHeaders {
  private ResponseHeaders() {}

  /**
   * The header fields of {@code response} to request {@code requestId}; {@code model} is {@code
   * null} for responses that do not name the model.
   */
  static List<Map.Entry<String, String>> of(
      ApiResponse response, String requestId, ModelIdentity model) {
    List<Map.Entry<String, String>> headers = new ArrayList<>(6 + response.headers().size());
    // A 204 has neither body nor length (RFC 9110), e.g. a CORS preflight's.
    if (response.status() != 204) {
      headers.add(Map.entry("Content-Type", response.contentType()));
      headers.add(Map.entry("Content-Length", Integer.toString(response.body().length)));
    }
    headers.add(Map.entry("Request-ID", requestId));
    if (model != null) {
      headers.add(Map.entry("Model-Name", model.nameHeader()));
      headers.add(Map.entry("Model-Version", model.versionHeader()));
    }
    headers.addAll(response.headers().entrySet());
    return headers;
  }
}
