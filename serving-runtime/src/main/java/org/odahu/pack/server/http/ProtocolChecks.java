package org.odahu.pack.server.http;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.util.Map;

/** What HTTP/1.1 itself requires of a request before any route sees it (RFC 9112). */
final class ProtocolChecks {
  /** Netty's decoder limits, as the decoder is configured. */
  static final int MAX_REQUEST_LINE = 4096;

  static final int MAX_HEADER_BYTES = 8192;

  private ProtocolChecks() {}

  /**
   * A refused request's answer.
   *
   * @param error the answer
   * @param close whether the connection closes after it (the rest of its input cannot be trusted)
   */
  record Refusal(ApiError error, boolean close) {}

  /**
   * The refusal of {@code request}, or {@code null}: it could not be decoded (400, 414 for a
   * request line over {@link #MAX_REQUEST_LINE}, 431 for headers over {@link #MAX_HEADER_BYTES}),
   * its version is not HTTP/1.0 or 1.1 (505), or as HTTP/1.1 it has no or several {@code Host}
   * headers (400), or its body is in a coding the server does not decode: a {@code
   * Transfer-Encoding} beyond {@code chunked} (501), a {@code Content-Encoding} other than {@code
   * identity} (415). Both are refused rather than passed to a parser that would report the
   * compressed bytes as malformed text.
   */
  static Refusal check(HttpRequest request) {
    DecoderResult decoded = request.decoderResult();
    if (decoded.isFailure()) {
      Throwable cause = decoded.cause();
      if (cause instanceof TooLongHttpLineException) {
        return closing(414, "The request line is longer than " + MAX_REQUEST_LINE + " bytes");
      }
      if (cause instanceof TooLongHttpHeaderException) {
        return closing(431, "The request headers are larger than " + MAX_HEADER_BYTES + " bytes");
      }
      return closing(400, "Malformed HTTP request: " + cause.getMessage());
    }
    HttpVersion version = request.protocolVersion();
    if (!isSupported(version)) {
      return closing(505, "HTTP version " + version.text() + " is not supported");
    }
    if (version.equals(HttpVersion.HTTP_1_1)
        && request.headers().getAll(HttpHeaderNames.HOST).size() != 1) {
      return new Refusal(
          ApiError.of(400, "An HTTP/1.1 request must have exactly one Host header"), false);
    }
    if (request instanceof FullHttpRequest full && full.content().isReadable()) {
      return unsupportedCoding(request);
    }
    return null;
  }

  /**
   * Netty's aggregator takes {@code chunked} out of {@code Transfer-Encoding} once it has read the
   * chunks; whatever remains is a coding applied to the body.
   */
  private static Refusal unsupportedCoding(HttpRequest request) {
    String transfer = request.headers().get(HttpHeaderNames.TRANSFER_ENCODING);
    if (transfer != null && !transfer.isBlank()) {
      return new Refusal(
          ApiError.of(
              501,
              "Transfer-Encoding \""
                  + transfer
                  + "\" is not supported: send the body with chunked alone or a Content-Length"),
          false);
    }
    for (String coding : request.headers().getAll(HttpHeaderNames.CONTENT_ENCODING)) {
      for (String token : coding.split(",", -1)) {
        String name = token.strip();
        if (!name.isEmpty() && !name.equalsIgnoreCase("identity")) {
          return new Refusal(
              new ApiError(
                  415,
                  "Content-Encoding \"" + name + "\" is not supported: send the body uncompressed",
                  Map.of("Accept-Encoding", "identity")),
              false);
        }
      }
    }
    return null;
  }

  private static Refusal closing(int status, String message) {
    return new Refusal(ApiError.of(status, message), true);
  }

  static boolean isSupported(HttpVersion version) {
    return version.equals(HttpVersion.HTTP_1_1) || version.equals(HttpVersion.HTTP_1_0);
  }
}
