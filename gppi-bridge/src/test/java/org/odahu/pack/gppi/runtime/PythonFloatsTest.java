package org.odahu.pack.gppi.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.odahu.pack.artifact.testing.Examples;

/** Doubles written as the worker's {@code json.dumps} writes them, checked against real CPython. */
class PythonFloatsTest {
  private static String text(double value) {
    StringBuilder out = new StringBuilder();
    PythonFloats.append(out, value);
    return out.toString();
  }

  @ParameterizedTest
  @CsvSource({
    "1.0, 1.0",
    "100, 100.0",
    "-0.0, -0.0",
    "0, 0.0",
    "1e7, 10000000.0",
    "9999999.5, 9999999.5",
    "0.001, 0.001",
    "-0.0025, -0.0025",
    "0.0009765625, 0.0009765625",
    "123456789, 123456789.0",
    "9999999999999998, 9999999999999998.0",
    "1e16, 1e+16",
    "1.5e16, 1.5e+16",
    "0.0001, 0.0001",
    "0.00012, 0.00012",
    "0.00001, 1e-05",
    "-1.5e-5, -1.5e-05",
    "6.388157790966288, 6.388157790966288",
    "0.1, 0.1",
    "1.7976931348623157e308, 1.7976931348623157e+308",
    "4.9e-324, 5e-324",
    "1e-323, 1e-323",
    "2.2250738585072014e-308, 2.2250738585072014e-308",
  })
  void writesAsPythonRepr(double value, String python) {
    assertEquals(python, text(value));
  }

  @Test
  void nonFiniteValuesAreNull() {
    assertEquals("null", text(Double.NaN));
    assertEquals("null", text(Double.POSITIVE_INFINITY));
    assertEquals("null", text(Double.NEGATIVE_INFINITY));
  }

  /**
   * Random bit patterns, short decimals at every scale, subnormals and integers, as CPython writes
   * them.
   */
  @Test
  void agreesWithCPythonOnManyValues() throws IOException, InterruptedException {
    Random random = new Random(20261202);
    List<Double> values = new ArrayList<>();
    while (values.size() < 20_000) {
      double value =
          switch (values.size() % 5) {
            case 0 -> Double.longBitsToDouble(random.nextLong());
            case 1 ->
                Double.parseDouble(
                    (random.nextInt(2_000_000) - 1_000_000) + "e" + (random.nextInt(60) - 30));
            case 2 ->
                Double.longBitsToDouble(random.nextLong(1, 1L << 52))
                    * (random.nextBoolean() ? 1 : -1);
            case 3 -> (double) (random.nextLong() >> random.nextInt(64));
            default -> random.nextDouble() * Math.pow(10, random.nextInt(40) - 20);
          };
      if (Double.isFinite(value)) {
        values.add(value);
      }
    }
    ByteBuffer packed = ByteBuffer.allocate(8 * values.size()).order(ByteOrder.LITTLE_ENDIAN);
    values.forEach(packed::putDouble);
    List<String> expected =
        python(
            "import json, struct, sys\n"
                + "data = sys.stdin.buffer.read()\n"
                + "for value in struct.unpack('<%dd' % (len(data) // 8), data):\n"
                + "    print(json.dumps(value))\n",
            packed.array());
    assertEquals(values.size(), expected.size());
    for (int i = 0; i < expected.size(); i++) {
      double value = values.get(i);
      assertEquals(
          expected.get(i),
          text(value),
          () -> "bits " + Long.toHexString(Double.doubleToLongBits(value)));
    }
  }

  /**
   * float32 values in their own shortest digits, as numpy writes a float32 (and ODAHU's orjson
   * did), in Python's layout: random normal float32 bit patterns against CPython's numpy.
   */
  @Test
  void float32ValuesAgreeWithNumpy() throws IOException, InterruptedException {
    StringBuilder one = new StringBuilder();
    PythonFloats.appendFloat32(one, 0.1f);
    assertEquals("0.1", one.toString());
    Random random = new Random(20261206);
    List<Float> values = new ArrayList<>();
    while (values.size() < 20_000) {
      float value =
          values.size() % 2 == 0
              ? Float.intBitsToFloat(random.nextInt())
              : Float.parseFloat(random.nextInt(20_000) + "e" + (random.nextInt(50) - 25));
      if (Float.isFinite(value) && Math.abs(value) >= Float.MIN_NORMAL) {
        values.add(value);
      }
    }
    ByteBuffer packed = ByteBuffer.allocate(4 * values.size()).order(ByteOrder.LITTLE_ENDIAN);
    values.forEach(packed::putFloat);
    List<String> expected =
        python(
            "import numpy, sys\n"
                + "for value in numpy.frombuffer(sys.stdin.buffer.read(), '<f4'):\n"
                + "    print(str(value))\n",
            packed.array());
    assertEquals(values.size(), expected.size());
    for (int i = 0; i < expected.size(); i++) {
      float value = values.get(i);
      StringBuilder out = new StringBuilder();
      PythonFloats.appendFloat32(out, value);
      assertEquals(
          expected.get(i),
          out.toString(),
          () -> "bits " + Integer.toHexString(Float.floatToIntBits(value)));
    }
  }

  /** The lines CPython's {@code script} prints when given {@code input}; it must exit 0. */
  private static List<String> python(String script, byte[] input)
      throws IOException, InterruptedException {
    Process python =
        new ProcessBuilder(Examples.python().toString(), "-c", script)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try (OutputStream in = python.getOutputStream()) {
      in.write(input);
    }
    List<String> lines =
        new String(python.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)
            .lines()
            .toList();
    assertEquals(0, python.waitFor());
    return lines;
  }
}
