package org.odahu.pack.server.http;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Request ids: an inbound {@code Request-ID} (else {@code X-Request-ID}) is kept when well formed,
 * as Istio's edge filter does for ODAHU; otherwise a random UUID is made.
 */
public final class RequestIds {
  private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9._:/+=-]{1,128}");
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private RequestIds() {}

  /** The id to use for a request carrying these header values ({@code null} when absent). */
  public static String resolve(String requestId, String xRequestId) {
    if (requestId != null && WELL_FORMED.matcher(requestId).matches()) {
      return requestId;
    }
    if (xRequestId != null && WELL_FORMED.matcher(xRequestId).matches()) {
      return xRequestId;
    }
    return generate();
  }

  /** A random (version 4) UUID; cheaper than {@link java.util.UUID#randomUUID()}'s SecureRandom. */
  static String generate() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xf000L) | 0x4000L;
    long low = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
    char[] text = new char[36];
    int at = 0;
    for (int i = 0; i < 32; i++) {
      if (i == 8 || i == 12 || i == 16 || i == 20) {
        text[at++] = '-';
      }
      long word = i < 16 ? high : low;
      int shift = 60 - 4 * (i % 16);
      text[at++] = HEX[(int) (word >>> shift) & 0xf];
    }
    return new String(text);
  }
}
