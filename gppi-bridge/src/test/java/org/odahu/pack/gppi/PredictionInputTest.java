package org.odahu.pack.gppi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.odahu.pack.gppi.testing.Inputs;

class PredictionInputTest {

  @Test
  void keepsRowsAsTheClientWroteThem() {
    PredictionInput input =
        PredictionInput.fromJson(
            "[\"a\",\"b\"]", "[[1, 2.50], [ 123456789012345678901234 , \"x\\u00e9\" ]]");
    assertEquals("[\"a\",\"b\"]", input.columns().toString());
    assertEquals(2, input.rows().count());
    assertEquals(2, input.rows().width());
    assertEquals("[1, 2.50]", input.rows().row(0));
    assertEquals("[ 123456789012345678901234 , \"x\\u00e9\" ]", input.rows().row(1));
    assertEquals(
        "[[1, 2.50], [ 123456789012345678901234 , \"x\\u00e9\" ]]", input.data().toString());
  }

  @Test
  void columnsAreOptionalAndJsonNullIsNone() {
    PredictionInput input = PredictionInput.fromJson(null, "[[{\"nested\":[1,2]},null,true]]");
    assertNull(input.columns());
    assertEquals(3, input.rows().width());
    assertEquals("[{\"nested\":[1,2]},null,true]", input.rows().row(0));
    assertNull(PredictionInput.fromJson("null", "[[1]]").columns());
    assertTrue(PredictionInput.fromJson("null", "[[1]]").mergeableWith(input("[[2]]")));
  }

  @Test
  void multiByteTextKeepsExactSlices() {
    PredictionInput input = Inputs.body("{\"data\":[[\"日本\",1],[\"ü\",2]]}");
    assertEquals("[\"ü\",2]", input.rows().row(1));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    input.rows().writeRow(0, out);
    assertEquals("[\"日本\",1]", out.toString(StandardCharsets.UTF_8));
  }

  private static PredictionInput input(String data) {
    return PredictionInput.fromJson(null, data);
  }

  @ParameterizedTest
  @ValueSource(strings = {"[[1,2],[3]]", "[1,2,3]", "[[1],2]", "[{\"a\":1}]", "[[1],[2,[3]]]"})
  void arraysThatAreNotRowsOfOneWidthRunAlone(String data) {
    PredictionInput input = input(data);
    assertFalse(input.rows().isMatrix(), input.rows().toString());
    assertEquals(-1, input.rows().width());
    assertFalse(input.isMergeable());
    assertFalse(input.mergeableWith(input));
    assertEquals(data, input.data().toString());
    assertThrows(IndexOutOfBoundsException.class, () -> input.rows().row(0));
  }

  @Test
  void rowCountsCountTheArraysElements() {
    assertEquals(3, input("[1,2,3]").rowCount());
    assertEquals(2, input("[[1,2],[3]]").rowCount());
    assertEquals(1, input("\"text\"").rowCount());
    assertEquals(1, input("{\"a\": [1, 2]}").rowCount());
  }

  @ParameterizedTest
  @ValueSource(strings = {"5", "\"text\"", "{\"a\": [1, 2]}", "true"})
  void anyOtherValueReachesTheModelAsWrittenAndRunsAlone(String data) {
    PredictionInput input = input(data);
    assertNull(input.rows());
    assertEquals(data, input.data().toString());
    assertFalse(input.isMergeable());
  }

  @Test
  void columnsThatAreNotOneStringPerValueRunAlone() {
    assertFalse(PredictionInput.fromJson("\"Destiny line\"", "[[1,2,3,4]]").isMergeable());
    assertEquals(
        "\"Destiny line\"",
        PredictionInput.fromJson("\"Destiny line\"", "[[1,2,3,4]]").columns().toString());
    assertFalse(PredictionInput.fromJson("[\"a\"]", "[[1,2]]").isMergeable());
    assertFalse(PredictionInput.fromJson("[1, 2]", "[[1,2]]").isMergeable());
    assertTrue(PredictionInput.fromJson("[\"a\", \"b\"]", "[[1,2]]").isMergeable());
  }

  @Test
  void mergeableOnlyWithSameColumnsAndWidth() {
    PredictionInput a = PredictionInput.fromJson("[\"x\",\"y\"]", "[[1,2]]");
    PredictionInput b = PredictionInput.fromJson("[ \"x\", \"y\" ]", "[[3,4],[5,6]]");
    PredictionInput c = PredictionInput.fromJson("[\"y\",\"x\"]", "[[1,2]]");
    PredictionInput d = input("[[1,2]]");
    PredictionInput e = input("[[1,2,3]]");
    assertTrue(a.mergeableWith(b));
    assertFalse(a.mergeableWith(c));
    assertFalse(a.mergeableWith(d));
    assertFalse(d.mergeableWith(e));
    assertTrue(d.mergeableWith(input("[[7,8]]")));
  }

  @Test
  void malformedDataIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> input("[[1,"));
  }
}
