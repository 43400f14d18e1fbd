package org.odahu.pack.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Netty's HTTP/1 request decoder, with two additions:
 *
 * <ul>
 *   <li>it decodes only while the connection's {@link ReadGate} is open, so that pipelined requests
 *       beyond what the connection may have unanswered wait as undecoded bytes (bounded by what one
 *       read brings), and are decoded, in order, once answers go out;
 *   <li>each request must arrive whole, headers and body, within a deadline from its first byte
 *       (time while the gate is closed does not count); past it, {@link RequestReadTimeout} is
 *       fired and further input discarded. A new connection's first request must arrive within the
 *       deadline too: one that sends nothing is closed, silently.
 * </ul>
 *
 * A request with both {@code Transfer-Encoding: chunked} and {@code Content-Length} closes its
 * connection after its response, as Netty's server codec does.
 */
final class RequestDecoder extends HttpRequestDecoder {
  private final ReadGate gate;
  private final long timeoutNanos;
  private ChannelHandlerContext ctx;

  /** Bytes of a request have arrived that did not make a whole request yet. */
  private boolean partial;

  /** The connection is open and has sent nothing yet: its first request is awaited. */
  private boolean fresh;

  /** The head of the request whose body is arriving, or {@code null}. */
  private HttpRequest head;

  private boolean timedOut;
  private boolean resumeScheduled;
  private ScheduledFuture<?> deadline;

  RequestDecoder(HttpDecoderConfig config, ReadGate gate, Duration requestReadTimeout) {
    super(config);
    this.gate = gate;
    this.timeoutNanos = requestReadTimeout.toNanos();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext context) throws Exception {
    super.handlerAdded(context);
    this.ctx = context;
    gate.onChange(open -> gateChanged());
  }

  @Override
  public void channelActive(ChannelHandlerContext context) throws Exception {
    fresh = true;
    updateDeadline();
    super.channelActive(context);
  }

  @Override
  protected void decode(ChannelHandlerContext context, ByteBuf in, List<Object> out)
      throws Exception {
    if (timedOut) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (!gate.isOpen()) {
      return;
    }
    int before = out.size();
    super.decode(context, in, out);
    for (int i = before; i < out.size(); i++) {
      if (out.get(i) instanceof HttpContent content
          && !(content instanceof HttpMessage)
          && content.decoderResult().cause() instanceof TooLongHttpLineException) {
        // A chunk's size line, which Netty reads under the request line's limit: a malformed
        // body (400), not an overlong request line (414).
        content.setDecoderResult(
            DecoderResult.failure(
                new DecoderException(
                    "a chunk header is longer than "
                        + ProtocolChecks.MAX_REQUEST_LINE
                        + " bytes")));
      }
      if (out.get(i) instanceof HttpRequest request) {
        head = request;
      }
      if (out.get(i) instanceof LastHttpContent) {
        head = null;
        // A whole request: the next one, if it has begun, gets a deadline of its own.
        cancelDeadline();
        partial = in.isReadable();
      }
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext context, Object msg) throws Exception {
    if (msg instanceof ByteBuf bytes && bytes.isReadable()) {
      partial = true;
      fresh = false;
    }
    super.channelRead(context, msg);
    updateDeadline();
  }

  @Override
  protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
    super.handleTransferEncodingChunkedWithContentLength(message);
    message.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
  }

  private void gateChanged() {
    if (!gate.isOpen()) {
      cancelDeadline();
    } else if (!resumeScheduled) {
      // Later, from the event loop: never inside the decoding that answered a request.
      resumeScheduled = true;
      ctx.executor().execute(this::decodeWhatIsBuffered);
    }
  }

  private void decodeWhatIsBuffered() {
    resumeScheduled = false;
    if (ctx.isRemoved() || !ctx.channel().isActive() || !gate.isOpen()) {
      return;
    }
    try {
      channelRead(ctx, Unpooled.EMPTY_BUFFER);
      channelReadComplete(ctx);
    } catch (Exception e) {
      ctx.fireExceptionCaught(e);
    }
  }

  private boolean receiving() {
    return !timedOut && gate.isOpen() && (partial || fresh);
  }

  private void updateDeadline() {
    if (!receiving()) {
      cancelDeadline();
    } else if (deadline == null) {
      deadline = ctx.executor().schedule(this::expire, timeoutNanos, TimeUnit.NANOSECONDS);
    }
  }

  @SuppressWarnings("FutureReturnValueIgnored") // closing needs no follow-up
  private void expire() {
    deadline = null;
    if (!receiving() || !ctx.channel().isActive()) {
      return;
    }
    timedOut = true;
    if (partial) {
      ctx.fireUserEventTriggered(new RequestReadTimeout(head));
    } else {
      // Nothing was sent: no request to answer (a 408 could be read as the next one's answer).
      ctx.close();
    }
  }

  private void cancelDeadline() {
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext context) throws Exception {
    cancelDeadline();
    super.handlerRemoved0(context);
  }

  @Override
  public void channelInactive(ChannelHandlerContext context) throws Exception {
    cancelDeadline();
    super.channelInactive(context);
  }
}
