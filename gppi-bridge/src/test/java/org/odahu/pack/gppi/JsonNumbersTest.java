package org.odahu.pack.gppi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Number tokens read as doubles: bit for bit what {@link Double#parseDouble} gives. */
class JsonNumbersTest {
  private static void assertParsed(String token) {
    byte[] text = ("[" + token + "]").getBytes(StandardCharsets.US_ASCII);
    double expected = Double.parseDouble(token);
    double actual = JsonNumbers.parseDouble(text, 1, text.length - 1);
    assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual), token);
  }

  @Test
  void edgesOfTheFastPath() {
    for (String token :
        new String[] {
          "0",
          "-0",
          "0.0",
          "-0.0",
          "1",
          "-1",
          "7.4",
          "0.045",
          "1e22",
          "1e23",
          "1E-22",
          "1e-23",
          "9007199254740992",
          "9007199254740993",
          "123456789012345678",
          "1234567890123456789",
          "0.1",
          "0.30000000000000004",
          "2.2250738585072014E-308",
          "4.9e-324",
          "1.7976931348623157e308",
          "1e400",
          "-1e400",
          "1e-400",
          "0e0",
          "0.000000000000000000000000001",
          "5e+3",
          "12.5e-2",
          "100000000000000000000000",
          "3.141592653589793238462643383279"
        }) {
      assertParsed(token);
    }
  }

  @Test
  void randomTokensInEveryNotation() {
    Random random = new Random(7);
    for (int i = 0; i < 200_000; i++) {
      double value =
          switch (i % 4) {
            case 0 -> Double.longBitsToDouble(random.nextLong());
            case 1 -> random.nextInt(1_000_000) / Math.pow(10, random.nextInt(8));
            case 2 -> random.nextDouble() * Math.pow(10, random.nextInt(60) - 30);
            default -> random.nextLong() >> random.nextInt(64);
          };
      if (Double.isNaN(value) || Double.isInfinite(value)) {
        continue;
      }
      String token =
          switch (random.nextInt(4)) {
            case 0 -> Double.toString(value);
            case 1 -> String.format(Locale.ROOT, "%." + random.nextInt(20) + "f", value);
            case 2 -> String.format(Locale.ROOT, "%." + random.nextInt(20) + "e", value);
            default -> Long.toString((long) value);
          };
      assertParsed(token);
    }
  }
}
