package org.odahu.pack.server.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** One request on its way through the server: what the response, logs and capture need of it. */
final class Exchange {
  final int sequence;
  final long startNanos = System.nanoTime();
  final HttpVersion version;
  final String method;
  final String uri;
  final String client;
  final String requestId;
  final boolean keepAlive;
  Route route;

  /** Captured request headers and body, when capture is on and the route is invoke. */
  Map<String, String> capturedHeaders;

  String capturedBody;

  Exchange(int sequence, HttpRequest request, String client) {
    this.sequence = sequence;
    this.version = request.protocolVersion();
    this.method = request.method().name();
    this.uri = request.uri();
    this.client = client;
    HttpHeaders headers = request.headers();
    this.requestId = RequestIds.resolve(headers.get("Request-ID"), headers.get("X-Request-ID"));
    this.keepAlive = HttpUtil.isKeepAlive(request);
  }

  /** Header values by lower-case name, without the prohibited ones; repeated headers joined. */
  static Map<String, String> headerMap(HttpHeaders headers, Set<String> prohibited) {
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
