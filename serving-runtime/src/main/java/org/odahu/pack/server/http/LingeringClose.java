package org.odahu.pack.server.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection refused in the middle of its request (a body over the limit, a request that
 * cannot be decoded) without resetting it. Closing a socket whose input still holds unread bytes
 * makes the kernel send a reset, which can reach the client before it has read the answer: a client
 * that uploads its body without {@code Expect: 100-continue} (Python's urllib and requests never
 * send it) saw a broken pipe instead of the 413. So the answer is followed by a half-close (the
 * client reads it to its end), and whatever the client still sends is read and dropped, before any
 * decoding, until it closes its side or {@link #LIMIT} has passed, as web servers' lingering close
 * does. Event loop only.
 */
final class LingeringClose extends ChannelInboundHandlerAdapter {
  /** The longest a refused connection is read after its answer. */
  static final Duration LIMIT = Duration.ofSeconds(5);

  private LingeringClose() {}

  /**
   * Half-closes {@code channel}, whose last answer is written, and drops its input until closed.
   */
  @SuppressWarnings("FutureReturnValueIgnored") // closing needs no follow-up
  static void close(Channel channel) {
    if (!(channel instanceof DuplexChannel duplex) || !channel.isActive()) {
      channel.close();
      return;
    }
    channel.pipeline().addFirst(new LingeringClose());
    channel.eventLoop().schedule(() -> channel.close(), LIMIT.toNanos(), TimeUnit.NANOSECONDS);
    duplex
        .shutdownOutput()
        .addListener(
            shut -> {
              if (shut.isSuccess()) {
                channel.read(); // and on after each read: whatever the read gate says
              } else {
                channel.close();
              }
            });
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ReferenceCountUtil.release(msg);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    // Nothing reaches the handlers behind: they are done with this connection.
    ctx.read();
  }

  @Override
  @SuppressWarnings("FutureReturnValueIgnored") // closing needs no follow-up
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof ChannelInputShutdownEvent) {
      ctx.close();
    } else {
      ReferenceCountUtil.release(event);
    }
  }
}
