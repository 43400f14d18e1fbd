package org.odahu.pack.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.odahu.pack.logging.ContextLogger;

/**
 * Writes one connection's responses: status, body and headers (request id, model headers for model
 * APIs), handed to the {@link ResponseSequencer} in request order; then the request's metrics and
 * log line, its body reservation released and its in-flight count dropped, whether the response
 * reached the socket or not. A response whose headers cannot be written (a value Netty refuses) is
 * replaced by a 500, so no request is ever left unanswered. Event loop only.
 */
final class ResponseWriter {
  private static final ContextLogger LOG = ContextLogger.of(ResponseWriter.class);
  private static final byte[] INTERNAL_ERROR =
      "{\"message\": \"Internal server error\"}".getBytes(StandardCharsets.US_ASCII);

  private final ResponseSequencer sequencer;
  private final HttpEdge edge;

  ResponseWriter(ResponseSequencer sequencer, HttpEdge edge) {
    this.sequencer = sequencer;
    this.edge = edge;
  }

  /** Writes {@code response} for {@code exchange}, in order; then records and logs it. */
  void write(Exchange exchange, ApiResponse response, boolean close) {
    if (exchange.answered) {
      LOG.log(
          System.Logger.Level.ERROR,
          exchange.logContext(edge.model()),
          "Request {0} answered twice",
          exchange.requestId);
      return;
    }
    exchange.answered = true;
    boolean keepAlive = exchange.keepAlive && !close && !edge.state().isDraining();
    ApiResponse sent = response;
    FullHttpResponse http;
    try {
      http = toHttp(exchange, response, keepAlive);
    } catch (RuntimeException e) {
      LOG.log(
          System.Logger.Level.ERROR,
          exchange.logContext(edge.model()),
          e,
          "Request {0}: cannot write the response''s headers",
          exchange.requestId);
      sent = new ApiResponse(500, INTERNAL_ERROR, ApiResponse.JSON, Map.of());
      keepAlive = false;
      http = bare(exchange, sent);
    }
    int status = sent.status();
    long bytes = sent.body().length;
    long writeStart = System.nanoTime();
    sequencer.complete(
        exchange.sequence,
        http,
        !keepAlive,
        close,
        written -> finished(exchange, status, written ? bytes : 0, writeStart));
  }

  private void finished(Exchange exchange, int status, long bytes, long writeStart) {
    long now = System.nanoTime();
    edge.metrics().request(exchange.label(), exchange.method, status, now - exchange.startNanos);
    edge.metrics().responseWritten(now - writeStart);
    edge.requestLog()
        .log(
            new RequestLog.Entry(
                exchange.client,
                RequestLog.escape(exchange.method),
                RequestLog.escape(QuerySecrets.redact(exchange.uri)),
                status,
                bytes,
                now - exchange.startNanos,
                exchange.requestId,
                exchange.trace,
                exchange.probe()));
    edge.bodyBudget().release(exchange.reservedBytes);
    edge.state().requestFinished();
  }

  /** The Netty response; the headers are validated before the body is wrapped. */
  private FullHttpResponse toHttp(Exchange exchange, ApiResponse response, boolean keepAlive) {
    boolean modelHeaders = exchange.route != null && exchange.route.api().modelHeaders();
    HttpHeaders headers = DefaultHttpHeadersFactory.headersFactory().newHeaders();
    for (Map.Entry<String, String> header :
        ResponseHeaders.of(response, exchange.requestId, modelHeaders ? edge.model() : null)) {
      headers.set(header.getKey(), header.getValue());
    }
    FullHttpResponse http = response(exchange, response, headers);
    HttpUtil.setKeepAlive(http, keepAlive);
    return http;
  }

  /** A response with only the headers that are always valid, closing the connection. */
  private static FullHttpResponse bare(Exchange exchange, ApiResponse response) {
    HttpHeaders headers = DefaultHttpHeadersFactory.headersFactory().newHeaders();
    for (Map.Entry<String, String> header :
        ResponseHeaders.of(response, exchange.requestId, null)) {
      headers.set(header.getKey(), header.getValue());
    }
    FullHttpResponse http = response(exchange, response, headers);
    HttpUtil.setKeepAlive(http, false);
    return http;
  }

  /**
   * A {@code HEAD} response keeps the headers of the {@code GET} one, {@code Content-Length} too.
   */
  private static FullHttpResponse response(
      Exchange exchange, ApiResponse response, HttpHeaders headers) {
    headers.set(HttpHeaderNames.DATE, HttpDate.now());
    ByteBuf content =
        exchange.head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(response.body());
    return new DefaultFullHttpResponse(
        exchange.version,
        HttpResponseStatus.valueOf(response.status()),
        content,
        headers,
        DefaultHttpHeadersFactory.trailersFactory().newHeaders());
  }
}
