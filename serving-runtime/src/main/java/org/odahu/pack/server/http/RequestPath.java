package org.odahu.pack.server.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The path of a request target, split into percent-decoded segments. */
final class RequestPath {
  private RequestPath() {}

  /** A request target that cannot be routed: a bad percent-escape or not UTF-8. */
  static final class MalformedPathException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MalformedPathException(String message) {
      super(message);
    }
  }

  /**
   * The decoded segments of {@code uri}'s path ({@code /a/b%20c?q} and {@code //a//b%20c?q} give
   * {@code [a, b c]}); an absolute-form target's scheme and authority are dropped. A target that is
   * not a path (e.g. {@code *}) gives {@code null}.
   *
   * @throws MalformedPathException if a segment is not validly percent-encoded UTF-8
   */
  static List<String> segments(String uri) {
    String path = path(uri);
    if (!path.startsWith("/")) {
      return null;
    }
    List<String> segments = new ArrayList<>();
    int start = 1;
    while (true) {
      int slash = path.indexOf('/', start);
      int end = slash < 0 ? path.length() : slash;
      // Repeated slashes count as one, as Werkzeug (ODAHU's Flask) merges them: odahuflowctl
      // --url http://host/ asks for //api/model/invoke. A trailing slash stays.
      if (end > start || slash < 0) {
        segments.add(decode(path.substring(start, end)));
      }
      if (slash < 0) {
        return segments;
      }
      start = slash + 1;
    }
  }

  /**
   * The decoded first segment of {@code uri}'s path, which tells the API a request is for even when
   * a later segment is malformed; null when the target is not a path or that segment is malformed.
   */
  static String firstSegment(String uri) {
    String path = path(uri);
    if (!path.startsWith("/")) {
      return null;
    }
    int start = 1;
    while (start < path.length() && path.charAt(start) == '/') {
      start++;
    }
    int slash = path.indexOf('/', start);
    try {
      return decode(path.substring(start, slash < 0 ? path.length() : slash));
    } catch (MalformedPathException e) {
      return null;
    }
  }

  /** The path of {@code uri}, without query, fragment, scheme and authority. */
  static String path(String uri) {
    String path = uri;
    int schemeEnd = path.indexOf("://");
    if (schemeEnd > 0 && path.indexOf('/') > schemeEnd) {
      int pathStart = path.indexOf('/', schemeEnd + 3);
      path = pathStart < 0 ? "/" : path.substring(pathStart);
    }
    int end = path.length();
    int query = path.indexOf('?');
    int fragment = path.indexOf('#');
    if (query >= 0) {
      end = query;
    }
    if (fragment >= 0 && fragment < end) {
      end = fragment;
    }
    return path.substring(0, end);
  }

  private static String decode(String segment) {
    if (segment.chars().allMatch(c -> c != '%' && c < 0x80)) {
      return segment;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c != '%') {
        // Netty reads the request line byte by byte, one char per byte: undo that.
        if (c <= 0xff) {
          bytes.write(c);
        } else {
          bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
        }
        continue;
      }
      int high = i + 2 < segment.length() ? Character.digit(segment.charAt(i + 1), 16) : -1;
      int low = high < 0 ? -1 : Character.digit(segment.charAt(i + 2), 16);
      if (low < 0) {
        throw new MalformedPathException(
            "Malformed request path: bad percent-escape in \"" + segment + "\"");
      }
      bytes.write(high * 16 + low);
      i += 2;
    }
    try {
      return strictUtf8(bytes.toByteArray());
    } catch (CharacterCodingException e) {
      throw new MalformedPathException(
          "Malformed request path: \"" + segment + "\" does not decode to UTF-8");
    }
  }

  /** {@code bytes} as UTF-8 text, refused rather than read with U+FFFD when they are not. */
  static String strictUtf8(byte[] bytes) throws CharacterCodingException {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(bytes))
        .toString();
  }
}
