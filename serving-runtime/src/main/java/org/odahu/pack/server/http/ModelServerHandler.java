package org.odahu.pack.server.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.odahu.pack.logging.ContextLogger;

/**
 * Adapts one connection to the {@link Router}'s services: each request is checked against HTTP
 * itself, routed, turned into an {@link ApiRequest} and answered by its service off the I/O thread
 * when the service is asynchronous; every answer, refusals and failures included, goes through the
 * {@link ResponseWriter} in request order, in the route's error format.
 */
public final class ModelServerHandler extends ChannelInboundHandlerAdapter {
  private static final ContextLogger LOG = ContextLogger.of(ModelServerHandler.class);

  private final HttpEdge edge;
  private final ResponseSequencer sequencer;
  private final ResponseWriter writer;
  private final BodyBudgetHandler bodies;
  // The calls to services this connection still waits for (event loop only; a few at most).
  private final List<HangUp> waiting = new ArrayList<>(2);

  ModelServerHandler(
      HttpEdge edge, ResponseSequencer sequencer, ResponseWriter writer, BodyBudgetHandler bodies) {
    this.edge = edge;
    this.sequencer = sequencer;
    this.writer = writer;
    this.bodies = bodies;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof FullHttpRequest request) {
        Exchange exchange = begin(ctx, request, bodies.take());
        try {
          serve(ctx, exchange, request);
        } catch (RuntimeException | Error e) {
          // An OutOfMemoryError too: the request is answered, so its reservation is released.
          failed(exchange, e);
          answer(exchange, ApiError.of(500, "Internal server error"), true);
        }
      } else if (msg instanceof RefusedRequest refused) {
        Exchange exchange = begin(ctx, refused.head(), 0);
        exchange.route = routeOf(exchange);
        answer(exchange, refused.error(), refused.close());
      } else {
        ctx.fireChannelRead(ReferenceCountUtil.retain(msg));
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private Exchange begin(ChannelHandlerContext ctx, HttpRequest request, long reservedBytes) {
    edge.state().requestStarted();
    return new Exchange(
        sequencer.next(), request, String.valueOf(ctx.channel().remoteAddress()), reservedBytes);
  }

  private void serve(ChannelHandlerContext ctx, Exchange exchange, FullHttpRequest request) {
    ProtocolChecks.Refusal refusal = ProtocolChecks.check(request);
    if (refusal != null) {
      // In the format of the path's API (the Open Inference Protocol's, MLflow's) when the
      // request line was read; Netty names an unreadable one /bad-request, which matches none.
      exchange.route = routeOf(exchange);
      answer(exchange, refusal.error(), refusal.close());
      return;
    }
    Router.Match match;
    try {
      match = edge.router().match(exchange.method, exchange.uri);
    } catch (RequestPath.MalformedPathException e) {
      answer(exchange, ApiError.of(400, e.getMessage()), false);
      return;
    }
    exchange.route = routeOf(match);
    String expectation = RequestAggregator.unsupportedExpectation(request);
    if (expectation != null) {
      answer(exchange, ApiError.of(417, "Unsupported Expect header: " + expectation), false);
      return;
    }
    switch (match) {
      case Router.NotFound notFound ->
          answer(exchange, ApiError.of(404, "Not found: " + notFound.path()), false);
      case Router.MethodNotAllowed wrong ->
          answer(
              exchange,
              new ApiError(
                  405,
                  "Method " + exchange.method + " is not allowed on " + wrong.path(),
                  Map.of("Allow", String.join(", ", wrong.allowed()))),
              false);
      case Router.Found found -> call(ctx, exchange, found, request);
    }
  }

  private static Route routeOf(Router.Match match) {
    return switch (match) {
      case Router.Found found -> found.route();
      case Router.MethodNotAllowed wrong -> wrong.route();
      case Router.NotFound notFound -> null;
    };
  }

  /** The route of a refused request, for its labels and format; {@code null} if none. */
  private Route routeOf(Exchange exchange) {
    try {
      return routeOf(edge.router().match(exchange.method, exchange.uri));
    } catch (RequestPath.MalformedPathException e) {
      return null;
    }
  }

  private void call(
      ChannelHandlerContext ctx, Exchange exchange, Router.Found found, FullHttpRequest request) {
    ApiRequest apiRequest =
        new ApiRequest(
            exchange.method,
            exchange.uri,
            found.parameters(),
            HeaderValues.utf8(request.headers().entries()),
            ByteBufUtil.getBytes(request.content()),
            exchange.requestId,
            exchange.trace,
            new DecodeMemory(bodies.budget(), exchange.reservedBytes),
            new HangUp());
    waiting.add(apiRequest.hangUp());
    CompletionStage<ApiResponse> stage;
    try {
      stage = found.route().service().serve(apiRequest);
    } catch (RuntimeException | Error e) {
      stage = CompletableFuture.failedFuture(e);
    }
    stage.whenComplete(
        (response, failure) -> {
          // Mapped where the stage completes: a failure's log lines stay off the I/O thread.
          ApiResponse answer = answerFor(exchange, response, failure);
          if (ctx.executor().inEventLoop()) {
            answered(exchange, apiRequest.hangUp(), answer);
          } else {
            ctx.executor().execute(() -> answered(exchange, apiRequest.hangUp(), answer));
          }
        });
  }

  private void answered(Exchange exchange, HangUp hangUp, ApiResponse answer) {
    waiting.remove(hangUp);
    writer.write(exchange, answer, false);
  }

  private ApiResponse answerFor(Exchange exchange, ApiResponse response, Throwable failure) {
    try {
      if (failure == null && response != null) {
        return response;
      }
      Throwable cause =
          failure != null ? failure : new IllegalStateException("the service answered nothing");
      return errors(exchange).encode(ErrorMapping.toError(cause, exchange.requestId));
    } catch (RuntimeException e) {
      failed(exchange, e);
      return edge.router().fallback().errors().encode(ApiError.of(500, "Internal server error"));
    }
  }

  private void failed(Exchange exchange, Throwable e) {
    LOG.log(
        System.Logger.Level.ERROR,
        exchange.logContext(edge.model()),
        e,
        "Request {0} failed",
        exchange.requestId);
  }

  private ErrorEncoder errors(Exchange exchange) {
    return exchange.route != null
        ? exchange.route.api().errors()
        : edge.router().errorsFor(exchange.uri);
  }

  private void answer(Exchange exchange, ApiError error, boolean close) {
    writer.write(exchange, errors(exchange).encode(error), close);
  }

  @Override
  @SuppressWarnings("FutureReturnValueIgnored") // closing needs no follow-up
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof RequestReadTimeout timeout) {
      Exchange exchange;
      if (timeout.head() != null) {
        // Its head arrived, its body did not: answered in the format of the path's API.
        exchange = begin(ctx, timeout.head(), 0);
        exchange.route = routeOf(exchange);
      } else {
        edge.state().requestStarted();
        exchange = new Exchange(sequencer.next(), String.valueOf(ctx.channel().remoteAddress()));
      }
      long seconds = edge.requestReadTimeout().toSeconds();
      answer(
          exchange, ApiError.of(408, "The request did not arrive within " + seconds + " s"), true);
    } else if (event instanceof IdleStateEvent && sequencer.idle()) {
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
    // The client is gone: what is still queued for it (a prediction waiting for a worker) is
    // dropped rather than computed for nobody. Each hang-up answers its request on this loop.
    List<HangUp> gone = List.copyOf(waiting);
    waiting.clear();
    gone.forEach(HangUp::hangUp);
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
