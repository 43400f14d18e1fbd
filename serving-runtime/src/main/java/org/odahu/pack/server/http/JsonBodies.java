package org.odahu.pack.server.http;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/** Checks every protocol's JSON request bodies share. */
public final class JsonBodies {
  /**
   * The most values a table built from a request may hold: rows times columns, where a format fills
   * in missing values (MLflow's records with different keys, CSV rows shorter than the header), so
   * that a small body cannot expand into a matrix that exhausts the heap.
   */
  public static final long MAX_CELLS = 10_000_000;

  private JsonBodies() {}

  /**
   * Whether {@code body} is JSON in UTF-16 or UTF-32 (a NUL byte among its first two, or such a
   * byte order mark): the JSON parser would read it as characters, without the byte offsets the
   * codecs slice values by. JSON between systems is UTF-8 (RFC 8259).
   */
  public static boolean isWideJson(byte[] body) {
    if (body.length < 2) {
      return false;
    }
    return body[0] == 0
        || body[1] == 0
        || (body[0] == (byte) 0xFE && body[1] == (byte) 0xFF)
        || (body[0] == (byte) 0xFF && body[1] == (byte) 0xFE);
  }

  /**
   * {@code text} escaped for a JSON string, without the quotes; a lone surrogate (half a pair,
   * which has no UTF-8 form: a model's message may hold one) is written as its JSON escape.
   */
  public static String escape(String text) {
    JsonStringEncoder encoder = JsonStringEncoder.getInstance();
    StringBuilder out = new StringBuilder(text.length() + 8);
    int start = 0;
    for (int at = loneSurrogate(text, 0); at >= 0; at = loneSurrogate(text, start)) {
      out.append(encoder.quoteAsString(text.substring(start, at)));
      out.append(String.format("\\u%04x", (int) text.charAt(at)));
      start = at + 1;
    }
    return out.append(encoder.quoteAsString(text.substring(start))).toString();
  }

  /** Where the first half of a surrogate pair without its other half is, from {@code from}; -1. */
  public static int loneSurrogate(String text, int from) {
    for (int i = from; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  /** Why a body {@link #isWideJson} is refused. */
  public static final String WIDE_JSON = "the body is UTF-16 or UTF-32; JSON must be UTF-8";

  /**
   * Refuses a table of {@code rows} by {@code columns} values over {@link #MAX_CELLS}.
   *
   * @throws org.odahu.pack.gppi.InvalidInputException if it is over
   */
  public static void checkCells(long rows, long columns, String prefix) {
    if (rows * columns > MAX_CELLS) {
      throw new org.odahu.pack.gppi.InvalidInputException(
          prefix
              + rows
              + " rows by "
              + columns
              + " columns make more than "
              + MAX_CELLS
              + " values, the most one request may hold.");
    }
  }
}
