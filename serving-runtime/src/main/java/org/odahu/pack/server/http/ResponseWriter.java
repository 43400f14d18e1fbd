package org.odahu.pack.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpUtil;

/**
 * Writes one connection's responses: the status and body with the request id and model headers,
 * handed to the {@link ResponseSequencer} in request order, then the capture records, metrics and
 * access log line of each. Event loop only.
 */
final class ResponseWriter {
  private final ServerContext server;
  private final ResponseSequencer sequencer;

  ResponseWriter(ServerContext server, ResponseSequencer sequencer) {
    this.server = server;
    this.sequencer = sequencer;
  }

  /** Writes {@code response} for {@code exchange}, in order; then records and logs it. */
  void write(Exchange exchange, ApiResponse response, boolean close) {
    ByteBuf content = Unpooled.wrappedBuffer(response.body());
    FullHttpResponse http =
        new DefaultFullHttpResponse(exchange.version, response.status(), content);
    HttpHeaders headers = http.headers();
    headers.set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
    headers.setInt(HttpHeaderNames.CONTENT_LENGTH, response.body().length);
    headers.set("Request-ID", exchange.requestId);
    if (exchange.route != null && exchange.route.isModelApi()) {
      headers.set("Model-Name", server.modelName());
      headers.set("Model-Version", server.modelVersion());
    }
    response.headers().forEach(headers::set);
    boolean keepAlive = exchange.keepAlive && !close && !server.draining().get();
    HttpUtil.setKeepAlive(http, keepAlive);
    if (exchange.capturedHeaders != null) {
      CaptureRecords.forInvoke(server, exchange, response, headers)
          .forEach(server.capture()::offer);
    }
    int status = response.status().code();
    long bytes = response.body().length;
    long writeStart = System.nanoTime();
    sequencer.complete(
        exchange.sequence,
        http,
        !keepAlive,
        written -> {
          long now = System.nanoTime();
          server
              .metrics()
              .request(exchange.route, exchange.method, status, now - exchange.startNanos);
          server.metrics().responseWritten(now - writeStart);
          AccessLog log = server.accessLog();
          if (log != null) {
            log.log(
                exchange.client,
                exchange.method,
                exchange.uri,
                status,
                bytes,
                now - exchange.startNanos,
                exchange.requestId);
          }
          server.inFlight().decrementAndGet();
        });
  }
}
