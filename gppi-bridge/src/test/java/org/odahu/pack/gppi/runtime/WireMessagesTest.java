package org.odahu.pack.gppi.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.odahu.pack.gppi.MatrixPacking;
import org.odahu.pack.gppi.OutputStyle;
import org.odahu.pack.gppi.PredictionInput;
import org.odahu.pack.gppi.testing.Inputs;

/**
 * Predict requests as the worker reads them (JSON, or packed doubles for {@code ndarray}), and its
 * packed results as JSON.
 */
class WireMessagesTest {
  private static PredictionInput input(String body) {
    return Inputs.body(body);
  }

  @Test
  void matricesOfNumbersArePackedAfterAnAlignedHeader() {
    byte[] request =
        WireMessages.predictRequest(
            List.of(
                input("{\"columns\":[\"a\",\"b\"],\"data\":[[1, 2.5],\n[-3e2,4]]}"),
                input("{\"columns\":[\"a\",\"b\"],\"data\":[[0.1,-0]]}")),
            OutputStyle.COMPACT,
            MatrixPacking.NUMBERS,
            Integer.MAX_VALUE);
    assertEquals(0, request[0]);
    int headerLength = ByteBuffer.wrap(request, 1, 4).getInt();
    assertEquals(0, (5 + headerLength) % 8, "values 8-byte aligned");
    assertEquals(
        "{\"style\":\"compact\",\"columns\":[\"a\",\"b\"],\"splits\":[2,1],\"shape\":[3,2]}",
        new String(request, 5, headerLength, StandardCharsets.UTF_8).strip());
    double[] values = new double[6];
    ByteBuffer.wrap(request, 5 + headerLength, 48)
        .order(ByteOrder.LITTLE_ENDIAN)
        .asDoubleBuffer()
        .get(values);
    assertArrayEquals(new double[] {1, 2.5, -300, 4, 0.1, -0.0}, values);
    assertEquals(5 + headerLength + 48, request.length);
  }

  @Test
  void anythingButNumbersStaysJson() {
    for (String body :
        new String[] {
          "{\"data\":[[1,\"x\"]]}",
          "{\"data\":[[1,null]]}",
          "{\"data\":[[true,1]]}",
          "{\"data\":[[1,[2]]]}",
          "{\"data\":[[1,2],[3]]}",
          "{\"data\":[1,2]}",
          "{\"data\":{\"a\":1}}"
        }) {
      byte[] request =
          WireMessages.predictRequest(
              List.of(input(body)), OutputStyle.COMPACT, MatrixPacking.NUMBERS, Integer.MAX_VALUE);
      assertEquals('{', request[0], body);
    }
  }

  @Test
  void withoutNdarrayIntegersStayJson() {
    byte[] request =
        WireMessages.predictRequest(
            List.of(input("{\"data\":[[1.5,2]]}")),
            OutputStyle.PYTHON,
            MatrixPacking.FLOATS,
            Integer.MAX_VALUE);
    assertEquals(
        "{\"style\":\"python\",\"columns\":null,\"data\":[[1.5,2]]}",
        new String(request, StandardCharsets.UTF_8));
  }

  @Test
  void withoutNdarrayFloatsArePackedAsLists() {
    List<PredictionInput> inputs = List.of(input("{\"data\":[[1.5,2e0],[-0.0,3.25]]}"));
    byte[] request =
        WireMessages.predictRequest(
            inputs, OutputStyle.COMPACT, MatrixPacking.FLOATS, Integer.MAX_VALUE);
    assertEquals(0, request[0]);
    int headerLength = ByteBuffer.wrap(request, 1, 4).getInt();
    assertEquals(
        "{\"style\":\"compact\",\"columns\":null,\"shape\":[2,2],\"lists\":true}",
        new String(request, 5, headerLength, StandardCharsets.UTF_8).strip());
    assertEquals(5 + headerLength + 32, request.length);
    // A frame limit the packed request would pass: JSON instead.
    byte[] json =
        WireMessages.predictRequest(
            inputs, OutputStyle.COMPACT, MatrixPacking.FLOATS, request.length - 1);
    assertEquals('{', json[0]);
  }

  /** A packed result: columns, type, dimensions, width, the parts' rows, then the values. */
  private static Reply packed(char type, int dimensions, int width, int[] parts, long... values) {
    byte[] columns = "[\"y\"]".getBytes(StandardCharsets.UTF_8);
    ByteBuffer out =
        ByteBuffer.allocate(4 + columns.length + 10 + 4 * parts.length + 8 * values.length);
    out.putInt(columns.length).put(columns).put((byte) type).put((byte) dimensions).putInt(width);
    out.putInt(parts.length);
    for (int part : parts) {
      out.putInt(part);
    }
    out.order(ByteOrder.LITTLE_ENDIAN);
    for (long value : values) {
      out.putLong(value);
    }
    return new Reply(Frames.PACKED_RESULT, out.array());
  }

  private static long bits(double value) {
    return Double.doubleToLongBits(value);
  }

  private static List<String> parts(Reply reply) throws WorkerDiedException {
    WireMessages.Result result = WireMessages.decodeResult(reply);
    assertEquals("[\"y\"]", new String(result.columnsJson(), StandardCharsets.UTF_8));
    return result.parts().stream().map(part -> new String(part, StandardCharsets.UTF_8)).toList();
  }

  @Test
  void packedResultsAreSplitIntoJsonParts() throws WorkerDiedException {
    assertEquals(
        List.of("[6.0,1e-05]", "[]", "[null]"),
        parts(packed('f', 1, 1, new int[] {2, 0, 1}, bits(6), bits(1e-5), bits(Double.NaN))));
    assertEquals(
        List.of("[[1,-2],[3,4]]", "[[5,6]]"),
        parts(packed('i', 2, 2, new int[] {2, 1}, 1, -2, 3, 4, 5, 6)));
    assertEquals(List.of("[[],[]]"), parts(packed('f', 2, 0, new int[] {2})));
  }

  /** float32: widened for the other APIs, in its own digits for ODAHU's (as orjson wrote it). */
  @Test
  void packedFloat32ResultsHaveBothForms() throws WorkerDiedException {
    byte[] columns = "[\"y\"]".getBytes(StandardCharsets.UTF_8);
    ByteBuffer out = ByteBuffer.allocate(4 + columns.length + 10 + 4 + 4 * 3);
    out.putInt(columns.length).put(columns).put((byte) 'g').put((byte) 1).putInt(1);
    out.putInt(1).putInt(3).order(ByteOrder.LITTLE_ENDIAN);
    out.putFloat(0.1f).putFloat(3.4028235e38f).putFloat(Float.NaN);
    WireMessages.Result result =
        WireMessages.decodeResult(new Reply(Frames.PACKED_RESULT, out.array()));
    assertEquals(
        List.of("[0.10000000149011612,3.4028234663852886e+38,null]"),
        result.parts().stream().map(part -> new String(part, StandardCharsets.UTF_8)).toList());
    assertEquals(
        List.of("[0.1,3.4028235e+38,null]"),
        result.float32Parts().stream()
            .map(part -> new String(part, StandardCharsets.UTF_8))
            .toList());
    assertNull(
        WireMessages.decodeResult(packed('f', 1, 1, new int[] {1}, bits(0.1))).float32Parts());
  }

  @Test
  void malformedPackedResultsMeanABrokenWorker() {
    for (Reply reply :
        List.of(
            packed('x', 1, 1, new int[] {1}, 1),
            packed('f', 3, 1, new int[] {1}, 1),
            packed('f', 1, 2, new int[] {1}, 1, 2),
            packed('f', 1, 1, new int[] {2}, 1),
            packed('f', 1, 1, new int[] {1}, 1, 2),
            packed('f', 2, 1, new int[] {-1}),
            new Reply(Frames.PACKED_RESULT, new byte[] {0, 0, 0, 0, 'f'}))) {
      assertThrows(WorkerDiedException.class, () -> WireMessages.decodeResult(reply));
    }
  }
}
