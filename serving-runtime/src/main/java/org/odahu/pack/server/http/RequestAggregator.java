package org.odahu.pack.server.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Netty's aggregator (bodies, chunked or not, and {@code Expect: 100-continue}), with oversized
 * bodies answered in JSON like every other error: a too-large request travels on as an {@link
 * OversizedRequest}, and a refused {@code 100-continue} gets a JSON 413.
 */
final class RequestAggregator extends HttpObjectAggregator {
  private final int maxBodyBytes;

  RequestAggregator(int maxBodyBytes) {
    super(maxBodyBytes);
    this.maxBodyBytes = maxBodyBytes;
  }

  static String tooLargeMessage(int maxBodyBytes) {
    return "Request body is larger than the limit of " + maxBodyBytes + " bytes";
  }

  @Override
  @SuppressWarnings("FutureReturnValueIgnored") // closing needs no follow-up
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
    if (oversized instanceof HttpRequest request) {
      HttpRequest head =
          new DefaultHttpRequest(
              request.protocolVersion(), request.method(), request.uri(), request.headers().copy());
      ctx.fireChannelRead(new OversizedRequest(head));
    } else {
      ctx.close();
    }
  }

  @Override
  protected Object newContinueResponse(
      HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
    Object response = super.newContinueResponse(start, maxContentLength, pipeline);
    if (response instanceof FullHttpResponse netty
        && netty.status().code() == HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE.code()) {
      ApiResponse error =
          ApiResponse.error(
              HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, tooLargeMessage(maxBodyBytes));
      FullHttpResponse json =
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1, error.status(), Unpooled.wrappedBuffer(error.body()));
      json.headers().set(netty.headers());
      json.headers().set(HttpHeaderNames.CONTENT_TYPE, error.contentType());
      json.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, error.body().length);
      netty.release();
      return json;
    }
    return response;
  }
}
