package org.odahu.pack.server.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/** The pipeline of one connection: HTTP codec, aggregation with a body limit, the handler. */
public final class ModelServerInitializer extends ChannelInitializer<Channel> {
  /** Keep-alive connections idle this long are closed. */
  private static final int IDLE_SECONDS = 300;

  private final ServerContext server;

  public ModelServerInitializer(ServerContext server) {
    this.server = server;
  }

  @Override
  protected void initChannel(Channel channel) {
    channel
        .pipeline()
        .addLast("idle", new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS))
        .addLast("codec", new HttpServerCodec())
        .addLast("aggregator", new RequestAggregator(server.config().maxBodyBytes()))
        .addLast("handler", new ModelServerHandler(server));
  }
}
