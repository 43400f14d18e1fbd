package org.odahu.pack.server.http;

/** Takes one line's worth of each finished request, e.g. {@code AccessLog::log}. */
@FunctionalInterface
public interface RequestLog {
  /** Logs one finished request. */
  void log(Entry entry);

  /** No log. */
  static RequestLog none() {
    return entry -> {};
  }

  /**
   * One finished request.
   *
   * @param client the client's address
   * @param method the method, already {@linkplain #escape escaped} for a log line
   * @param uri the request target, already escaped for a log line
   * @param status the status answered
   * @param bytes the body bytes answered
   * @param nanos the time from request to response written
   * @param requestId the request id
   * @param trace the request's W3C trace context, or {@code null}
   * @param probe whether the route is a health probe or metrics scrape
   */
  record Entry(
      String client,
      String method,
      String uri,
      int status,
      long bytes,
      long nanos,
      String requestId,
      TraceParent trace,
      boolean probe) {}

  /**
   * {@code text} for a log line: control characters, quotes, backslashes and anything outside ASCII
   * as {@code \xHH} (or {@code \}{@code uHHHH}), so a client cannot forge or break lines.
   */
  static String escape(String text) {
    StringBuilder escaped = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean plain = c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
      if (plain && escaped == null) {
        continue;
      }
      if (escaped == null) {
        escaped = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (plain) {
        escaped.append(c);
      } else if (c <= 0xff) {
        escaped
            .append("\\x")
            .append(Character.forDigit(c >> 4, 16))
            .append(Character.forDigit(c & 0xf, 16));
      } else {
        escaped.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
      }
    }
    return escaped == null ? text : escaped.toString();
  }
}
