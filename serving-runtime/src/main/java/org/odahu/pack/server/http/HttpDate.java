package org.odahu.pack.server.http;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The {@code Date} header every response carries (RFC 9110: an origin server with a clock sends
 * one), as IMF-fixdate, {@code Sun, 06 Dec 2026 01:02:03 GMT}; formatted once a second, not per
 * response.
 */
final class HttpDate {
  private static final DateTimeFormatter IMF_FIXDATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);

  private record Formatted(long second, String text) {}

  private static volatile Formatted last = new Formatted(Long.MIN_VALUE, "");

  private HttpDate() {}

  /** Now, to the second. */
  static String now() {
    long second = Math.floorDiv(System.currentTimeMillis(), 1000L);
    Formatted formatted = last;
    if (formatted.second() != second) {
      formatted = new Formatted(second, IMF_FIXDATE.format(Instant.ofEpochSecond(second)));
      last = formatted;
    }
    return formatted.text();
  }
}
