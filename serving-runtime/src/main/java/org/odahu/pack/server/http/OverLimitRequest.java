package org.odahu.pack.server.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The one request a connection beyond {@code --max-connections} may make, between the decoder and
 * the rest of the pipeline. A health probe or a metrics scrape ({@link Route#probe()}, {@code GET}
 * or {@code HEAD}, no body) goes on to be answered as usual, and its connection closes after the
 * answer; any other request is answered 503 with {@code Retry-After} as soon as its head is read
 * (its body is never read), and closes too. The head must arrive within {@link #READ_TIMEOUT} (or
 * the server's request deadline if shorter), else the connection is answered 503 and closed; a
 * connection left open {@link #LIFETIME} after it arrived is closed whatever its state. Only the
 * request line and headers are held, within the decoder's limits. Event loop only.
 */
final class OverLimitRequest extends ChannelInboundHandlerAdapter {
  /** How long a connection beyond the limit may take to send its request's head. */
  static final Duration READ_TIMEOUT = Duration.ofSeconds(1);

  /** How long a connection beyond the limit may stay open at all. */
  static final Duration LIFETIME = Duration.ofSeconds(10);

  private enum State {
    WAITING,
    PASSING,
    DROPPING
  }

  private final ConnectionLimiter limiter;
  private final Router router;
  private final long readTimeoutNanos;
  private State state = State.WAITING;
  private boolean answeredAsUsual;
  private ScheduledFuture<?> deadline;
  private ScheduledFuture<?> lifetime;

  OverLimitRequest(ConnectionLimiter limiter, Router router, Duration requestReadTimeout) {
    this.limiter = limiter;
    this.router = router;
    this.readTimeoutNanos =
        (requestReadTimeout.compareTo(READ_TIMEOUT) < 0 ? requestReadTimeout : READ_TIMEOUT)
            .toNanos();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive()) {
      startTimers(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    startTimers(ctx);
    ctx.fireChannelActive();
  }

  @SuppressWarnings("FutureReturnValueIgnored") // closing needs no follow-up
  private void startTimers(ChannelHandlerContext ctx) {
    if (lifetime != null) {
      return;
    }
    lifetime =
        ctx.executor()
            .schedule(() -> ctx.channel().close(), LIFETIME.toNanos(), TimeUnit.NANOSECONDS);
    deadline = ctx.executor().schedule(() -> expire(ctx), readTimeoutNanos, TimeUnit.NANOSECONDS);
  }

  private void expire(ChannelHandlerContext ctx) {
    deadline = null;
    if (state == State.WAITING && ctx.channel().isActive()) {
      state = State.DROPPING;
      // Written from here, before the encoder: raw bytes of a whole response.
      ctx.writeAndFlush(Unpooled.wrappedBuffer(limiter.rawRefusal()))
          .addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    switch (state) {
      case WAITING -> {
        if (!(msg instanceof HttpRequest request)) {
          ReferenceCountUtil.release(msg);
          return;
        }
        cancel(deadline);
        if (answersAsUsual(request)) {
          answeredAsUsual = true;
          HttpUtil.setKeepAlive(request, false);
          state = msg instanceof LastHttpContent ? State.DROPPING : State.PASSING;
          ctx.fireChannelRead(msg);
        } else {
          state = State.DROPPING;
          HttpRequest head =
              new DefaultHttpRequest(
                  request.protocolVersion(),
                  request.method(),
                  request.uri(),
                  request.headers().copy());
          ReferenceCountUtil.release(msg);
          ctx.fireChannelRead(new RefusedRequest(head, limiter.refusal(), true));
        }
      }
      case PASSING -> {
        if (msg instanceof LastHttpContent) {
          state = State.DROPPING;
        }
        ctx.fireChannelRead(msg);
      }
      case DROPPING -> ReferenceCountUtil.release(msg);
    }
  }

  /** A probe or scrape, without a body, that the decoder read whole and well. */
  private boolean answersAsUsual(HttpRequest request) {
    if (request.decoderResult().isFailure()
        || !(request.method().equals(HttpMethod.GET) || request.method().equals(HttpMethod.HEAD))
        || HttpUtil.isTransferEncodingChunked(request)
        || (request instanceof HttpContent content && content.content().isReadable())) {
      return false;
    }
    try {
      if (HttpUtil.getContentLength(request, 0L) != 0) {
        return false;
      }
      return router.match(request.method().name(), request.uri()) instanceof Router.Found found
          && found.route().probe();
    } catch (NumberFormatException | RequestPath.MalformedPathException e) {
      return false;
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancel(deadline);
    cancel(lifetime);
    if (!answeredAsUsual) {
      limiter.refusedOne();
    }
    ctx.fireChannelInactive();
  }

  private static void cancel(ScheduledFuture<?> timer) {
    if (timer != null) {
      timer.cancel(false);
    }
  }
}
