package org.odahu.pack.server.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import org.odahu.pack.logging.LogContext;

/** One request on its way through the edge: what its response, metrics and logs need of it. */
final class Exchange {
  final int sequence;
  final long startNanos = System.nanoTime();
  final HttpVersion version;
  final String method;
  final String uri;
  final String client;
  final String requestId;

  /** The request's valid W3C trace context, or {@code null}. */
  final TraceParent trace;

  final boolean keepAlive;
  final boolean head;
  final long reservedBytes;

  /** The route (or, for 405, the path's route) once known; {@code null}: no route matched. */
  Route route;

  /** Whether a response was handed to the writer. */
  boolean answered;

  Exchange(int sequence, HttpRequest request, String client, long reservedBytes) {
    this.sequence = sequence;
    this.version =
        ProtocolChecks.isSupported(request.protocolVersion())
            ? request.protocolVersion()
            : HttpVersion.HTTP_1_1;
    // Netty stands GET /bad-request HTTP/1.0 in for a request line it could not read: logged and
    // counted as "-", not as a GET no client sent.
    boolean unreadable =
        request.decoderResult().isFailure()
            && request.uri().equals("/bad-request")
            && request.method().equals(HttpMethod.GET)
            && request.protocolVersion().equals(HttpVersion.HTTP_1_0);
    this.method = unreadable ? "-" : request.method().name();
    this.uri = unreadable ? "-" : request.uri();
    this.client = client;
    HttpHeaders headers = request.headers();
    this.requestId = RequestIds.resolve(headers.get("Request-ID"), headers.get("X-Request-ID"));
    this.trace = TraceParent.of(headers.getAll(TraceParent.HEADER));
    this.keepAlive = HttpUtil.isKeepAlive(request);
    this.head = request.method().equals(HttpMethod.HEAD);
    this.reservedBytes = reservedBytes;
  }

  /** An exchange for a request that never arrived whole. */
  Exchange(int sequence, String client) {
    this.sequence = sequence;
    this.version = HttpVersion.HTTP_1_1;
    this.method = "-";
    this.uri = "-";
    this.client = client;
    this.requestId = RequestIds.generate();
    this.trace = null;
    this.keepAlive = false;
    this.head = false;
    this.reservedBytes = 0;
  }

  /** What log lines about this request carry, for a server of {@code model}. */
  LogContext logContext(ModelIdentity model) {
    return model.logContext(requestId, trace);
  }

  /** Whether the route is a health probe or metrics scrape. */
  boolean probe() {
    return route != null && route.probe();
  }

  /** The metrics label: the route's template. */
  String label() {
    return route == null ? null : route.template().text();
  }
}
