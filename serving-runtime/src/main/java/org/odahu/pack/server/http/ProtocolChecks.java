package org.odahu.pack.server.http;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;

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
   * headers (400).
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
    return null;
  }

  private static Refusal closing(int status, String message) {
    return new Refusal(ApiError.of(status, message), true);
  }

  static boolean isSupported(HttpVersion version) {
    return version.equals(HttpVersion.HTTP_1_1) || version.equals(HttpVersion.HTTP_1_0);
  }
}
