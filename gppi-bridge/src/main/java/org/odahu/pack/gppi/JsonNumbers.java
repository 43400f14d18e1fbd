package org.odahu.pack.gppi;

import java.nio.charset.StandardCharsets;

/** Reads JSON number tokens as doubles, exactly as {@link Double#parseDouble} would. */
final class JsonNumbers {
  /** Powers of ten that a double holds exactly. */
  private static final double[] EXACT_POWERS = new double[23];

  /** Integers up to this are doubles exactly. */
  private static final long EXACT_MANTISSA = 1L << 53;

  static {
    EXACT_POWERS[0] = 1;
    for (int i = 1; i < EXACT_POWERS.length; i++) {
      EXACT_POWERS[i] = EXACT_POWERS[i - 1] * 10;
    }
  }

  private JsonNumbers() {}

  /**
   * The double nearest to the number {@code text[from .. to)}, a well-formed JSON number. Most
   * numbers clients send have few digits and a small exponent: their digits as an integer and a
   * power of ten are both doubles exactly, so one multiplication or division, which IEEE 754 rounds
   * correctly, gives the nearest double (Clinger's fast path). Others go to {@link
   * Double#parseDouble}.
   */
  static double parseDouble(byte[] text, int from, int to) {
    int i = from;
    boolean negative = text[i] == '-';
    if (negative) {
      i++;
    }
    long digits = 0;
    int significant = 0;
    int exponent = 0;
    boolean fraction = false;
    for (; i < to; i++) {
      byte b = text[i];
      if (b >= '0' && b <= '9') {
        if (digits != 0 || b != '0') {
          significant++;
        }
        if (significant > 18) {
          return slow(text, from, to);
        }
        digits = digits * 10 + (b - '0');
        if (fraction) {
          exponent--;
        }
      } else if (b == '.') {
        fraction = true;
      } else {
        break; // 'e' or 'E'
      }
    }
    if (i < to) {
      int written = parseExponent(text, i + 1, to);
      if (written == Integer.MIN_VALUE) {
        return slow(text, from, to);
      }
      exponent += written;
    }
    if (digits > EXACT_MANTISSA || exponent < -22 || exponent > 22) {
      return slow(text, from, to);
    }
    double value =
        exponent >= 0 ? digits * EXACT_POWERS[exponent] : digits / EXACT_POWERS[-exponent];
    return negative ? -value : value;
  }

  /**
   * The exponent after the 'e', or {@link Integer#MIN_VALUE} when it is too long to matter here.
   */
  private static int parseExponent(byte[] text, int from, int to) {
    int i = from;
    boolean negative = false;
    if (text[i] == '-' || text[i] == '+') {
      negative = text[i] == '-';
      i++;
    }
    if (to - i > 3) {
      return Integer.MIN_VALUE;
    }
    int value = 0;
    for (; i < to; i++) {
      value = value * 10 + (text[i] - '0');
    }
    return negative ? -value : value;
  }

  private static double slow(byte[] text, int from, int to) {
    return Double.parseDouble(new String(text, from, to - from, StandardCharsets.ISO_8859_1));
  }
}
