package org.odahu.pack.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.Map;

/**
 * One connection's side of the {@link BodyBudget}, between the decoder and the aggregator: a
 * request whose declared body does not fit is refused at once with 503 and {@code Retry-After} (its
 * body, if sent, is discarded as it arrives); a chunked body is reserved chunk by chunk, and one
 * that stops fitting is refused and its connection closed. The reservation of the request being
 * received goes to the handler with it ({@link #take()}), which releases it once answered. Event
 * loop only.
 */
final class BodyBudgetHandler extends ChannelInboundHandlerAdapter {
  private final BodyBudget budget;
  private final int maxBodyBytes;
  private long current;
  private HttpRequest head;
  private boolean chunked;
  private boolean discarding;

  BodyBudgetHandler(BodyBudget budget, int maxBodyBytes) {
    this.budget = budget;
    this.maxBodyBytes = maxBodyBytes;
  }

  /** The server's budget. */
  BodyBudget budget() {
    return budget;
  }

  /** Hands over the bytes reserved for the request being received. */
  long take() {
    long taken = current;
    current = 0;
    return taken;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest request) {
      budget.release(take());
      head = request;
      discarding = false;
      chunked = HttpUtil.isTransferEncodingChunked(request);
      long declared = chunked ? 0 : declaredLength(request);
      if (declared > 0 && declared <= maxBodyBytes && !budget.tryReserve(declared)) {
        discarding = !(msg instanceof LastHttpContent);
        refuse(ctx, HttpUtil.is100ContinueExpected(request));
        ReferenceCountUtil.release(msg);
        return;
      }
      current = declared <= maxBodyBytes ? declared : 0;
    } else if (msg instanceof HttpContent content && (discarding || !reserveChunk(ctx, content))) {
      discarding = !(msg instanceof LastHttpContent);
      ReferenceCountUtil.release(msg);
      return;
    }
    ctx.fireChannelRead(msg);
    if (msg instanceof LastHttpContent) {
      budget.release(take()); // not taken: the aggregator dropped the request (too large)
    }
  }

  /** The {@code Content-Length}; 0 when absent or when the decoder refused the request. */
  private static long declaredLength(HttpRequest request) {
    if (request.decoderResult().isFailure()) {
      return 0;
    }
    try {
      return Math.max(0, HttpUtil.getContentLength(request, 0L));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Reserves a chunk of a chunked body; refuses the request when it does not fit. */
  private boolean reserveChunk(ChannelHandlerContext ctx, HttpContent content) {
    if (!chunked) {
      return true;
    }
    int bytes = content.content().readableBytes();
    if (current + bytes > maxBodyBytes) {
      return true; // the aggregator refuses it: too large
    }
    if (budget.tryReserve(bytes)) {
      current += bytes;
      return true;
    }
    budget.release(take());
    refuse(ctx, true);
    return false;
  }

  private void refuse(ChannelHandlerContext ctx, boolean close) {
    budget.refused();
    HttpRequest line =
        new DefaultHttpRequest(
            head.protocolVersion(), head.method(), head.uri(), head.headers().copy());
    ctx.fireChannelRead(
        new RefusedRequest(
            line,
            new ApiError(
                503,
                "The server holds as many request bodies as it may ("
                    + budget.capacity()
                    + " bytes); retry later",
                Map.of("Retry-After", "1")),
            close));
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    budget.release(take());
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    budget.release(take());
  }
}
