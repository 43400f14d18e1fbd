package org.odahu.pack.server.http;

import java.util.List;

/**
 * A request's W3C Trace Context ({@code traceparent: 00-<trace-id>-<parent-id>-<flags>}): the trace
 * it belongs to and the caller's span. Only a header that is valid by the specification is kept:
 * lower-case hex, trace and parent ids not all zeros, version {@code ff} refused, a version {@code
 * 00} header exactly 55 characters, a later version at least 55 characters with a {@code -} after
 * them. The server starts no spans of its own: it writes the ids into its logs and capture records.
 *
 * @param traceId the trace id, 32 hex digits
 * @param parentId the caller's span id, 16 hex digits
 * @param flags the trace flags, 2 hex digits (01: sampled)
 */
public record TraceParent(String traceId, String parentId, String flags) {
  /** The header's name. */
  public static final String HEADER = "traceparent";

  private static final int LENGTH = 55;

  /**
   * The trace context of a request with these {@code traceparent} header values, or {@code null}
   * when there is none or it is invalid (several headers count as invalid).
   */
  public static TraceParent of(List<String> headerValues) {
    return headerValues.size() == 1 ? parse(headerValues.get(0)) : null;
  }

  /** The trace context in {@code header}, or {@code null} when it is absent or invalid. */
  public static TraceParent parse(String header) {
    if (header == null || header.length() < LENGTH) {
      return null;
    }
    String version = header.substring(0, 2);
    if (!isHex(version) || version.equals("ff")) {
      return null;
    }
    boolean future = !version.equals("00");
    if (future
        ? header.length() > LENGTH && header.charAt(LENGTH) != '-'
        : header.length() != LENGTH) {
      return null;
    }
    if (header.charAt(2) != '-' || header.charAt(35) != '-' || header.charAt(52) != '-') {
      return null;
    }
    String traceId = header.substring(3, 35);
    String parentId = header.substring(36, 52);
    String flags = header.substring(53, 55);
    if (!isHex(traceId)
        || !isHex(parentId)
        || !isHex(flags)
        || isZero(traceId)
        || isZero(parentId)) {
      return null;
    }
    return new TraceParent(traceId, parentId, flags);
  }

  private static boolean isHex(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }

  private static boolean isZero(String hex) {
    for (int i = 0; i < hex.length(); i++) {
      if (hex.charAt(i) != '0') {
        return false;
      }
    }
    return true;
  }
}
