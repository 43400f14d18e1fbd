package org.odahu.pack.server.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.TimeUnit;
import org.odahu.pack.logging.RateLimitedLog;

/**
 * On the listening socket: an error accepting a connection (typically "Too many open files") pauses
 * accepting for a second, as Netty does, and is logged at most once a minute rather than every
 * time.
 */
@ChannelHandler.Sharable
final class AcceptErrors extends ChannelInboundHandlerAdapter {
  private static final System.Logger LOG = System.getLogger(AcceptErrors.class.getName());

  private final RateLimitedLog log = new RateLimitedLog(LOG, 60, TimeUnit.SECONDS);

  @Override
  @SuppressWarnings("FutureReturnValueIgnored") // re-enabling needs no follow-up
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.warn("Cannot accept connections: " + cause.getMessage() + "; pausing accepting for 1 s");
    var config = ctx.channel().config();
    if (config.isAutoRead()) {
      config.setAutoRead(false);
      ctx.channel().eventLoop().schedule(() -> config.setAutoRead(true), 1, TimeUnit.SECONDS);
    }
  }
}
