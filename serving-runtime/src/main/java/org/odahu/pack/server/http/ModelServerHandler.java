package org.odahu.pack.server.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.odahu.pack.gppi.InvalidInputException;
import org.odahu.pack.gppi.PredictionInput;

/**
 * Serves one connection: routes each request, runs predictions off the event loop, and has its
 * {@link ResponseWriter} write every response (error or not) with its request id, model headers,
 * metrics, access log line and capture records, in request order.
 */
public final class ModelServerHandler extends ChannelInboundHandlerAdapter {
  private static final String METRICS_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final ServerContext server;
  private ResponseSequencer sequencer;
  private ResponseWriter writer;

  public ModelServerHandler(ServerContext server) {
    this.server = server;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    sequencer = new ResponseSequencer(ctx);
    writer = new ResponseWriter(server, sequencer);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof FullHttpRequest request) {
        serve(ctx, request);
      } else if (msg instanceof OversizedRequest oversized) {
        Exchange exchange = begin(ctx, oversized.request());
        exchange.route = Route.match(new QueryStringDecoder(exchange.uri).path());
        writer.write(
            exchange,
            ApiResponse.error(
                HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                RequestAggregator.tooLargeMessage(server.config().maxBodyBytes())),
            true);
      } else {
        ctx.fireChannelRead(ReferenceCountUtil.retain(msg));
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private Exchange begin(ChannelHandlerContext ctx, HttpRequest request) {
    server.inFlight().incrementAndGet();
    return new Exchange(sequencer.next(), request, String.valueOf(ctx.channel().remoteAddress()));
  }

  private void serve(ChannelHandlerContext ctx, FullHttpRequest request) {
    Exchange exchange = begin(ctx, request);
    if (request.decoderResult().isFailure()) {
      String reason = String.valueOf(request.decoderResult().cause().getMessage());
      writer.write(
          exchange,
          ApiResponse.error(HttpResponseStatus.BAD_REQUEST, "Malformed HTTP request: " + reason),
          true);
      return;
    }
    String path = new QueryStringDecoder(request.uri()).path();
    Route route = Route.match(path);
    exchange.route = route;
    String expectation = RequestAggregator.unsupportedExpectation(request);
    if (expectation != null) {
      writer.write(
          exchange,
          ApiResponse.error(
              HttpResponseStatus.EXPECTATION_FAILED, "Unsupported Expect header: " + expectation),
          false);
      return;
    }
    if (route == null) {
      writer.write(
          exchange, ApiResponse.error(HttpResponseStatus.NOT_FOUND, "Not found: " + path), false);
      return;
    }
    if (!route.allows(request.method())) {
      writer.write(
          exchange,
          ApiResponse.error(
              HttpResponseStatus.METHOD_NOT_ALLOWED,
              "Method " + request.method() + " is not allowed on " + path,
              Map.of("Allow", route.allowHeader())),
          false);
      return;
    }
    switch (route) {
      case HEALTHCHECK -> writer.write(exchange, healthcheck(), false);
      case LIVE ->
          writer.write(
              exchange,
              ApiResponse.json(HttpResponseStatus.OK, ascii("{\"status\":\"alive\"}")),
              false);
      case READY -> writer.write(exchange, readiness(), false);
      case METRICS ->
          writer.write(
              exchange,
              new ApiResponse(
                  HttpResponseStatus.OK,
                  server.registry().scrape().getBytes(StandardCharsets.UTF_8),
                  METRICS_TYPE,
                  Map.of()),
              false);
      case INFO -> info(ctx, exchange);
      case INVOKE -> invoke(ctx, exchange, request);
      case FEEDBACK -> feedback(ctx, exchange, request);
    }
  }

  private ApiResponse healthcheck() {
    boolean ready = server.backend().isReady() && !server.draining().get();
    return ApiResponse.json(
        ready ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
        ascii(ready ? "{\"status\":true}\n" : "{\"status\":false}\n"));
  }

  private ApiResponse readiness() {
    var stats = server.backend().stats();
    boolean ready = server.backend().isReady() && !server.draining().get();
    String workers =
        "\"workers\":{\"alive\":"
            + stats.aliveWorkers()
            + ",\"configured\":"
            + stats.configuredWorkers()
            + "}";
    if (ready) {
      return ApiResponse.json(HttpResponseStatus.OK, ascii("{\"ready\":true," + workers + "}"));
    }
    String reason =
        server.draining().get()
            ? "The server is shutting down"
            : server.backend().notReadyReason().orElse("The model is starting");
    ApiResponse error = ApiResponse.error(HttpResponseStatus.SERVICE_UNAVAILABLE, reason);
    String body = "{\"ready\":false," + workers + "," + error.bodyText().substring(1);
    return ApiResponse.json(
        HttpResponseStatus.SERVICE_UNAVAILABLE, body.getBytes(StandardCharsets.UTF_8));
  }

  private void info(ChannelHandlerContext ctx, Exchange exchange) {
    byte[] cached = server.swagger().get();
    if (cached != null) {
      writer.write(exchange, ApiResponse.json(HttpResponseStatus.OK, cached), false);
      return;
    }
    answerOnEventLoop(
        ctx,
        exchange,
        server.backend().info(),
        schema -> {
          byte[] swagger =
              SwaggerDocument.render(schema, server.modelName(), server.modelVersion());
          server.swagger().compareAndSet(null, swagger);
          return ApiResponse.json(HttpResponseStatus.OK, swagger);
        });
  }

  private void invoke(ChannelHandlerContext ctx, Exchange exchange, FullHttpRequest request) {
    byte[] body = ByteBufUtil.getBytes(request.content());
    if (server.capture().enabled()) {
      exchange.capturedHeaders =
          Exchange.headerMap(request.headers(), server.config().prohibitedHeaders());
      exchange.capturedBody = new String(body, StandardCharsets.UTF_8);
    }
    PredictionInput input;
    try {
      input = PredictionInput.parse(body);
    } catch (InvalidInputException e) {
      writer.write(exchange, ErrorMapping.toResponse(e, exchange.requestId), false);
      return;
    }
    answerOnEventLoop(
        ctx,
        exchange,
        server.backend().predict(input),
        prediction -> {
          server.metrics().prediction(prediction.timings());
          return ApiResponse.json(HttpResponseStatus.OK, prediction.toResponseJson());
        });
  }

  /**
   * Answers {@code exchange} when {@code stage} completes, back on the connection's event loop (the
   * backend completes on its own threads): {@code answer}'s response, or the failure's. A failure
   * is mapped where the stage completes, so that its log lines are not written on the event loop.
   */
  private <T> void answerOnEventLoop(
      ChannelHandlerContext ctx,
      Exchange exchange,
      CompletionStage<T> stage,
      Function<T, ApiResponse> answer) {
    stage.whenComplete(
        (value, failure) -> {
          ApiResponse error =
              failure == null ? null : ErrorMapping.toResponse(failure, exchange.requestId);
          ctx.executor()
              .execute(
                  () ->
                      writer.write(
                          exchange,
                          error != null ? error : respond(value, answer, exchange.requestId),
                          false));
        });
  }

  private static <T> ApiResponse respond(
      T value, Function<T, ApiResponse> answer, String requestId) {
    try {
      return answer.apply(value);
    } catch (RuntimeException e) {
      return ErrorMapping.toResponse(e, requestId);
    }
  }

  private void feedback(ChannelHandlerContext ctx, Exchange exchange, FullHttpRequest request) {
    Feedback feedback =
        new Feedback(
            server.modelName(),
            server.modelVersion(),
            server.capture(),
            server.config().backend().timeout());
    HttpHeaders headers = request.headers();
    answerOnEventLoop(
        ctx,
        exchange,
        feedback.handle(headers::get, ByteBufUtil.getBytes(request.content())),
        response -> response);
  }

  @Override
  @SuppressWarnings("FutureReturnValueIgnored") // closing needs no follow-up
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof IdleStateEvent && sequencer.idle()) {
      ctx.close();
    } else {
      ctx.fireUserEventTriggered(event);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    sequencer.pauseOrResumeReading();
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    sequencer.discardPending();
    ctx.fireChannelInactive();
  }

  @Override
  @SuppressWarnings("FutureReturnValueIgnored") // closing needs no follow-up
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A reset or broken connection: nothing to answer on it.
    ctx.close();
  }
}
