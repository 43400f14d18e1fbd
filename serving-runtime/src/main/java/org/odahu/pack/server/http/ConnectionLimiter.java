package org.odahu.pack.server.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the server's open connections; one beyond the limit is answered at once with a 503 and
 * closed, before anything it sent is read, and the refusals are logged at most once a minute. The
 * first handler of every connection; shared by all.
 */
@ChannelHandler.Sharable
public final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
  private static final System.Logger LOG = System.getLogger(ConnectionLimiter.class.getName());

  private final int max;
  private final AtomicInteger open = new AtomicInteger();
  private final byte[] refusal;
  private final RateLimitedLog refusals = new RateLimitedLog(LOG, 60, TimeUnit.SECONDS);

  /**
   * @param max connections served at once
   * @param errors the format of the 503's body
   */
  public ConnectionLimiter(int max, ErrorEncoder errors) {
    this.max = max;
    ApiResponse busy =
        errors.encode(
            new ApiError(
                503,
                "The server has as many connections as it may serve (" + max + "); retry later",
                java.util.Map.of("Retry-After", "1")));
    this.refusal = raw(busy);
  }

  private static byte[] raw(ApiResponse response) {
    StringBuilder head =
        new StringBuilder("HTTP/1.1 503 Service Unavailable\r\n")
            .append("Content-Type: ")
            .append(response.contentType())
            .append("\r\nContent-Length: ")
            .append(response.body().length)
            .append("\r\nConnection: close\r\n");
    response
        .headers()
        .forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
    byte[] headBytes = head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    byte[] raw = new byte[headBytes.length + response.body().length];
    System.arraycopy(headBytes, 0, raw, 0, headBytes.length);
    System.arraycopy(response.body(), 0, raw, headBytes.length, response.body().length);
    return raw;
  }

  /** Connections open now. */
  public int open() {
    return open.get();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    int now = open.incrementAndGet();
    if (now <= max) {
      ctx.fireChannelActive();
      return;
    }
    refusals.warn("Refusing connections: " + max + " are open (--max-connections); answering 503");
    // Not read at all: what it sent never reaches the handlers behind this one.
    ctx.channel().config().setAutoRead(false);
    ctx.writeAndFlush(Unpooled.wrappedBuffer(refusal)).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    open.decrementAndGet();
    ctx.fireChannelInactive();
  }
}
