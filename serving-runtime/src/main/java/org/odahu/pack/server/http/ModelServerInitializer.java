package org.odahu.pack.server.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline of one connection: request decoding (gated, with a deadline per request), response
 * encoding, the body budget, aggregation with a body limit, the handler. A connection beyond {@code
 * --max-connections} also gets an {@link OverLimitRequest} after the decoder: one probe or scrape
 * answered, everything else 503.
 */
public final class ModelServerInitializer extends ChannelInitializer<Channel> {
  /** Keep-alive connections idle this long are closed. */
  private static final int IDLE_SECONDS = 300;

  private final HttpEdge edge;

  public ModelServerInitializer(HttpEdge edge) {
    this.edge = edge;
  }

  @Override
  protected void initChannel(Channel channel) {
    ReadGate gate = new ReadGate(channel);
    ResponseSequencer sequencer = new ResponseSequencer(channel, gate);
    BodyBudgetHandler bodies = new BodyBudgetHandler(edge.bodyBudget(), edge.maxBodyBytes());
    HttpDecoderConfig decoding =
        new HttpDecoderConfig()
            .setMaxInitialLineLength(ProtocolChecks.MAX_REQUEST_LINE)
            .setMaxHeaderSize(ProtocolChecks.MAX_HEADER_BYTES);
    channel
        .pipeline()
        .addLast("idle", new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS))
        .addLast("decoder", new RequestDecoder(decoding, gate, edge.requestReadTimeout()))
        .addLast("encoder", new HttpResponseEncoder())
        .addLast("bodies", bodies)
        .addLast("aggregator", new RequestAggregator(edge.maxBodyBytes()))
        .addLast(
            "handler",
            new ModelServerHandler(edge, sequencer, new ResponseWriter(sequencer, edge), bodies));
    ConnectionLimiter limiter = ConnectionLimiter.overLimit(channel);
    if (limiter != null) {
      channel
          .pipeline()
          .addAfter(
              "decoder",
              "over-limit",
              new OverLimitRequest(limiter, edge.router(), edge.requestReadTimeout()));
    }
  }
}
