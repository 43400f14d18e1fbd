package org.odahu.pack.server.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One request as a {@link Service} sees it, without the network: method, target, the route's path
 * parameters, headers, body, request id and trace context.
 *
 * @param method the method, e.g. {@code POST}
 * @param uri the request target as the client sent it, query included
 * @param pathParameters the values of the route template's {@code {name}} segments, decoded
 * @param headers the header fields in the order received
 * @param body the body
 * @param requestId the request id every response and record carries
 * @param trace the valid W3C trace context of its {@code traceparent} header, or {@code null}
 * @param memory what decoding its body may build
 * @param hangUp its client going away before the answer
 */
// The body is handed over, never copied.
@SuppressWarnings("ArrayRecordComponent")
public record ApiRequest(
    String method,
    String uri,
    Map<String, String> pathParameters,
    List<Map.Entry<String, String>> headers,
    byte[] body,
    String requestId,
    TraceParent trace,
    DecodeMemory memory,
    HangUp hangUp) {

  public ApiRequest {
    pathParameters = Map.copyOf(pathParameters);
    headers = List.copyOf(headers);
  }

  /**
   * A request whose decoding is not bounded and whose client never goes away: one that does not
   * come through the server's edge.
   */
  public ApiRequest(
      String method,
      String uri,
      Map<String, String> pathParameters,
      List<Map.Entry<String, String>> headers,
      byte[] body,
      String requestId,
      TraceParent trace) {
    this(
        method,
        uri,
        pathParameters,
        headers,
        body,
        requestId,
        trace,
        DecodeMemory.UNBOUNDED,
        HangUp.NEVER);
  }

  /**
   * The target's path as routes match it: percent-decoded, without scheme, authority, query and
   * fragment ({@code http://h/docs/a%2Ejs?x} gives {@code /docs/a.js}); the target itself when it
   * is not a path.
   */
  public String path() {
    List<String> segments = RequestPath.segments(uri);
    return segments == null ? uri : "/" + String.join("/", segments);
  }

  /** The first value of header {@code name} (any case), or {@code null}. */
  public String header(String name) {
    for (Map.Entry<String, String> header : headers) {
      if (header.getKey().equalsIgnoreCase(name)) {
        return header.getValue();
      }
    }
    return null;
  }

  /** Header values by lower-case name, without {@code prohibited} ones; repeated ones joined. */
  public Map<String, String> headerMap(Set<String> prohibited) {
    return headerMap(headers, prohibited);
  }

  /** As {@link #headerMap(Set)} for any header fields. */
  static Map<String, String> headerMap(
      Iterable<Map.Entry<String, String>> headers, Set<String> prohibited) {
    Map<String, String> map = new LinkedHashMap<>();
    for (Map.Entry<String, String> header : headers) {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      if (!prohibited.contains(name)) {
        map.merge(name, header.getValue(), (a, b) -> a + "," + b);
      }
    }
    return map;
  }
}
