package org.odahu.pack.gppi.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.odahu.pack.gppi.OutputStyle;
import org.odahu.pack.gppi.PredictionInput;
import org.odahu.pack.gppi.testing.Inputs;

/** Predict requests as the worker reads them: JSON, or packed doubles for {@code ndarray}. */
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
            true);
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
      byte[] request = WireMessages.predictRequest(List.of(input(body)), OutputStyle.COMPACT, true);
      assertEquals('{', request[0], body);
    }
  }

  @Test
  void withoutNdarrayNumbersStayJson() {
    byte[] request =
        WireMessages.predictRequest(
            List.of(input("{\"data\":[[1,2]]}")), OutputStyle.PYTHON, false);
    assertEquals(
        "{\"style\":\"python\",\"columns\":null,\"data\":[[1,2]]}",
        new String(request, StandardCharsets.UTF_8));
  }
}
