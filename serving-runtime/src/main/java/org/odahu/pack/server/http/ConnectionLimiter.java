package org.odahu.pack.server.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.odahu.pack.logging.RateLimitedLog;

/**
 * On the listening socket, before Netty registers an accepted connection: counts the open ones; one
 * beyond the limit is answered 503 (raw bytes, before anything it sent is read) and closed, and
 * when even those refusals pile up, closed at once without an answer, so that connections never
 * take more than {@code max + }{@link #REFUSING} file descriptors. Refusals are logged at most once
 * a minute.
 */
public final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
  /** Refused connections being answered at once; more are closed without an answer. */
  static final int REFUSING = 64;

  private static final System.Logger LOG = System.getLogger(ConnectionLimiter.class.getName());
  private static final AttributeKey<byte[]> REFUSAL = AttributeKey.valueOf("odahu-refusal");

  private final int max;
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger refusing = new AtomicInteger();
  private final byte[] refusal;
  private final RateLimitedLog refusals = new RateLimitedLog(LOG, 60, TimeUnit.SECONDS);

  /**
   * @param max connections served at once
   * @param errors the format of the 503's body
   */
  public ConnectionLimiter(int max, ErrorEncoder errors) {
    this.max = max;
    this.refusal =
        raw(
            errors.encode(
                new ApiError(
                    503,
                    "The server has as many connections as it may serve (" + max + "); retry later",
                    Map.of("Retry-After", "1"))));
  }

  private static byte[] raw(ApiResponse response) {
    StringBuilder head =
        new StringBuilder("HTTP/1.1 503 Service Unavailable\r\nContent-Type: ")
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

  /** Connections served now. */
  public int open() {
    return open.get();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    Channel child = (Channel) msg;
    if (take(open, max)) {
      child.closeFuture().addListener(closed -> open.decrementAndGet());
      ctx.fireChannelRead(child);
      return;
    }
    refusals.warn("Refusing connections: " + max + " are open (--max-connections); answering 503");
    if (take(refusing, REFUSING)) {
      child.closeFuture().addListener(closed -> refusing.decrementAndGet());
      child.attr(REFUSAL).set(refusal);
      ctx.fireChannelRead(child);
    } else {
      child.unsafe().closeForcibly();
    }
  }

  private static boolean take(AtomicInteger count, int limit) {
    int now;
    do {
      now = count.get();
      if (now >= limit) {
        return false;
      }
    } while (!count.compareAndSet(now, now + 1));
    return true;
  }

  /**
   * Answers a refused connection and closes it, without reading it; {@code false} for a connection
   * to serve.
   */
  static boolean refuseIfMarked(Channel child) {
    byte[] answer = child.attr(REFUSAL).get();
    if (answer == null) {
      return false;
    }
    child.config().setAutoRead(false);
    child
        .pipeline()
        .addLast(
            new ChannelInboundHandlerAdapter() {
              @Override
              public void channelActive(ChannelHandlerContext ctx) {
                ctx.writeAndFlush(Unpooled.wrappedBuffer(answer))
                    .addListener(ChannelFutureListener.CLOSE);
              }
            });
    return true;
  }
}
