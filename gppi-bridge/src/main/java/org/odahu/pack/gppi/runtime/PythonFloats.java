package org.odahu.pack.gppi.runtime;

import java.math.BigDecimal;

/**
 * Writes doubles as the worker's {@code json.dumps} writes Python floats, so a packed result reads
 * exactly as the JSON the worker would have sent: {@code repr(float)}'s shortest digits that read
 * back as the same double, in fixed notation from 1e-4 up to 1e16 ({@code 0.0001}, {@code 100.0})
 * and in exponent notation outside ({@code 1e-05}, {@code 1.5e+16}); NaN and the infinities are
 * {@code null}, as the worker writes them (ODAHU's orjson does so too).
 *
 * <p>The digits come from {@link Double#toString(double)}, which since JDK 19 picks the shortest
 * decimal that reads back as the double, the one nearest to it, as Python's {@code repr} does; only
 * its layout differs. One exception: where one digit would do, Java writes two, nearest to the
 * value ({@code 4.9E-324} for {@code 5e-324}); that differs from one digit only below {@link
 * Double#MIN_NORMAL}, where it is checked.
 */
public final class PythonFloats {
  /** Python's repr switches to exponent notation when the decimal point is this far right. */
  private static final int MAX_FIXED_POINT = 16;

  /** ... or this far left (0.0001 is fixed, 0.00001 is {@code 1e-05}). */
  private static final int MIN_FIXED_POINT = -3;

  /**
   * From 1e-3 up to 1e7 Java writes fixed notation as well ({@code 0.001}, {@code 1234567.0}): the
   * same digits in the same layout as Python, with no more than one trailing zero ({@code 100.0}).
   */
  private static final double JAVA_MIN_FIXED = 1e-3;

  private static final double JAVA_MAX_FIXED = 1e7;

  private PythonFloats() {}

  /**
   * {@code value} as Python's {@code json.dumps} writes a float of a model's (its {@code allow_nan}
   * default): {@code 1e-05}, {@code NaN}, {@code Infinity}, {@code -Infinity}.
   */
  public static String dumps(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "Infinity" : "-Infinity";
    }
    StringBuilder text = new StringBuilder();
    append(text, value);
    return text.toString();
  }

  /**
   * Appends {@code value} as Python's {@code json.dumps} writes it ({@code null} if not finite).
   */
  public static void append(StringBuilder out, double value) {
    if (!Double.isFinite(value)) {
      out.append("null");
      return;
    }
    double magnitude = Math.abs(value);
    if (magnitude >= JAVA_MIN_FIXED && magnitude < JAVA_MAX_FIXED) {
      out.append(value); // where Java writes fixed notation too: the same text
      return;
    }
    appendDecimal(out, Double.toString(value), value);
  }

  /**
   * Appends a float32 with the shortest digits that read back as that float32, as numpy's {@code
   * repr} and ODAHU's orjson write one ({@code 0.1}, not the float64 it widens to, {@code
   * 0.10000000149011612}), laid out as Python lays out a float ({@code 3.4028235e+38}); {@code
   * null} if not finite.
   */
  public static void appendFloat32(StringBuilder out, float value) {
    if (!Float.isFinite(value)) {
      out.append("null");
      return;
    }
    float magnitude = Math.abs(value);
    if (magnitude >= (float) JAVA_MIN_FIXED && magnitude < (float) JAVA_MAX_FIXED) {
      out.append(value);
      return;
    }
    // (Below float32's smallest normal, Java may write two digits where one would do.)
    appendDecimal(out, Float.toString(value), Double.NaN);
  }

  /**
   * Appends Java's decimal text of a number ({@code 1.0E-5}) in Python's layout; {@code value} is
   * the double it is, to shorten a subnormal's digits, or NaN.
   */
  private static void appendDecimal(StringBuilder out, String java, double value) {
    int start = 0;
    if (java.charAt(0) == '-') {
      out.append('-');
      start = 1;
    }
    int exponentAt = java.indexOf('E', start);
    int end = exponentAt < 0 ? java.length() : exponentAt;
    char[] digits = new char[end - start];
    int count = 0;
    int beforePoint = 0;
    for (int i = start; i < end; i++) {
      char c = java.charAt(i);
      if (c == '.') {
        beforePoint = count;
      } else {
        digits[count++] = c;
      }
    }
    // The value is 0.DIGITS x 10^point, as Python's dtoa counts it.
    int point =
        beforePoint
            + (exponentAt < 0 ? 0 : Integer.parseInt(java, exponentAt + 1, java.length(), 10));
    int first = 0;
    while (first < count && digits[first] == '0') {
      first++;
      point--;
    }
    while (count > first && digits[count - 1] == '0') {
      count--;
    }
    if (first == count) {
      out.append("0.0");
      return;
    }
    if (count - first == 2 && Math.abs(value) < Double.MIN_NORMAL) {
      int shorter = oneDigit(Math.abs(value), digits[first] - '0', point);
      if (shorter > 0) {
        digits[first] = shorter == 10 ? '1' : (char) ('0' + shorter);
        count = first + 1;
        point += shorter == 10 ? 1 : 0;
      }
    }
    layout(out, digits, first, count, point);
  }

  /**
   * The one digit (10 for a carry) that reads back as {@code value} and is nearest to it, or 0 when
   * no one digit does; {@code lead} is the first of Java's two digits.
   */
  private static int oneDigit(double value, int lead, int point) {
    BigDecimal exact = new BigDecimal(value);
    int best = 0;
    BigDecimal bestDistance = null;
    for (int candidate = lead; candidate <= lead + 1; candidate++) {
      BigDecimal decimal = BigDecimal.valueOf(candidate).scaleByPowerOfTen(point - 1);
      if (decimal.doubleValue() != value) {
        continue;
      }
      BigDecimal distance = decimal.subtract(exact).abs();
      if (bestDistance == null || distance.compareTo(bestDistance) < 0) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return best;
  }

  private static void layout(StringBuilder out, char[] digits, int first, int end, int point) {
    int count = end - first;
    if (point < MIN_FIXED_POINT || point > MAX_FIXED_POINT) {
      out.append(digits[first]);
      if (count > 1) {
        out.append('.').append(digits, first + 1, count - 1);
      }
      int exponent = point - 1;
      out.append(exponent < 0 ? "e-" : "e+");
      if (Math.abs(exponent) < 10) {
        out.append('0');
      }
      out.append(Math.abs(exponent));
    } else if (point <= 0) {
      out.append("0.");
      out.repeat('0', -point);
      out.append(digits, first, count);
    } else if (point >= count) {
      out.append(digits, first, count);
      out.repeat('0', point - count);
      out.append(".0");
    } else {
      out.append(digits, first, point).append('.').append(digits, first + point, count - point);
    }
  }
}
