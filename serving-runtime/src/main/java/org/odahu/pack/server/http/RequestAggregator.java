package org.odahu.pack.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Netty's aggregator (bodies, chunked or not, and {@code Expect: 100-continue}), with every refusal
 * left to the handler so that it is answered in order and in JSON like every other error: a
 * too-large request, {@code 100-continue} or not, travels on as a {@link RefusedRequest} (413, and
 * the connection closes), and a request with an unsupported expectation travels on as it is (the
 * handler answers 417).
 */
final class RequestAggregator extends HttpObjectAggregator {
  RequestAggregator(int maxBodyBytes) {
    super(maxBodyBytes);
  }

  private static String tooLargeMessage(int maxBodyBytes) {
    return "Request body is larger than the limit of " + maxBodyBytes + " bytes";
  }

  /**
   * The {@code Expect} header of an HTTP/1.1 request when it asks for anything but {@code
   * 100-continue}, else {@code null}.
   */
  static String unsupportedExpectation(HttpMessage message) {
    String expect = message.headers().get(HttpHeaderNames.EXPECT);
    boolean applies =
        message instanceof HttpRequest
            && message.protocolVersion().compareTo(HttpVersion.HTTP_1_1) >= 0;
    return applies && expect != null && !HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expect)
        ? expect
        : null;
  }

  @Override
  @SuppressWarnings("FutureReturnValueIgnored") // closing needs no follow-up
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
    if (oversized instanceof HttpRequest request) {
      HttpRequest head =
          new DefaultHttpRequest(
              request.protocolVersion(), request.method(), request.uri(), request.headers().copy());
      ctx.fireChannelRead(
          new RefusedRequest(head, ApiError.of(413, tooLargeMessage(maxContentLength())), true));
    } else {
      ctx.close();
    }
  }

  /**
   * Netty's {@code 100 Continue}, but never its own 413 or 417: without a continue response an
   * oversized request goes to {@link #handleOversizedMessage}.
   */
  @Override
  protected Object newContinueResponse(
      HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
    if (unsupportedExpectation(start) != null
        || (HttpUtil.is100ContinueExpected(start)
            && isContentLengthInvalid(start, maxContentLength))) {
      return null;
    }
    return super.newContinueResponse(start, maxContentLength, pipeline);
  }
}
