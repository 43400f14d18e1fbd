package org.odahu.pack.server.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.odahu.pack.logging.RateLimitedLog;

/**
 * On the listening socket, before Netty registers an accepted connection: counts the open ones. One
 * beyond the limit is not served as usual: up to {@link #OVERFLOW} such connections at once are
 * read for one request, for {@link OverLimitRequest#READ_TIMEOUT} at most, and a health probe or a
 * metrics scrape is answered as usual, anything else 503 (see {@link OverLimitRequest}); when even
 * those pile up, a connection is closed at once without an answer. So connections never take more
 * than {@code max + }{@link #OVERFLOW} file descriptors, and a liveness probe or a scrape still
 * gets its answer while the limit is reached. Connections that got no usual answer are counted
 * ({@link #refused()}), and logged at most once a minute.
 */
public final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
  /** Connections beyond the limit read at once; more are closed without an answer. */
  static final int OVERFLOW = 64;

  private static final System.Logger LOG = System.getLogger(ConnectionLimiter.class.getName());
  private static final AttributeKey<ConnectionLimiter> OVER_LIMIT =
      AttributeKey.valueOf("odahu-over-limit");

  private final int max;
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger overflow = new AtomicInteger();
  private final LongAdder refused = new LongAdder();
  private final ApiError refusal;
  private final byte[] rawRefusal;
  private final RateLimitedLog refusals = new RateLimitedLog(LOG, 60, TimeUnit.SECONDS);

  /**
   * @param max connections served at once
   * @param errors the format of the 503's body when no route is known
   */
  public ConnectionLimiter(int max, ErrorEncoder errors) {
    this.max = max;
    this.refusal =
        new ApiError(
            503,
            "The server has as many connections as it may serve (" + max + "); retry later",
            Map.of("Retry-After", "1"));
    this.rawRefusal = raw(errors.encode(refusal));
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

  /** Connections served now (those beyond the limit not included). */
  public int open() {
    return open.get();
  }

  /**
   * Connections beyond the limit that got no usual answer: closed unanswered, or answered 503 (a
   * probe or scrape answered as usual is not counted).
   */
  public long refused() {
    return refused.sum();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    Channel child = (Channel) msg;
    if (take(open, max)) {
      child.closeFuture().addListener(closed -> open.decrementAndGet());
      ctx.fireChannelRead(child);
      return;
    }
    refusals.warn(
        "Refusing connections: "
            + max
            + " are open (--max-connections); answering 503 to all but health probes and"
            + " metrics scrapes");
    if (take(overflow, OVERFLOW)) {
      child.closeFuture().addListener(closed -> overflow.decrementAndGet());
      child.attr(OVER_LIMIT).set(this);
      ctx.fireChannelRead(child);
    } else {
      refused.increment();
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

  /** The limiter that let {@code child} in beyond its limit; {@code null}: served as usual. */
  static ConnectionLimiter overLimit(Channel child) {
    return child.attr(OVER_LIMIT).get();
  }

  /** The answer to a request beyond the limit, in its route's format. */
  ApiError refusal() {
    return refusal;
  }

  /** The same answer as bytes, for a connection that sent no whole request head in time. */
  byte[] rawRefusal() {
    return rawRefusal;
  }

  /** Counts a connection beyond the limit that got no usual answer. */
  void refusedOne() {
    refused.increment();
  }
}
