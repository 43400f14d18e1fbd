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
  void mergeableOnlyWhenEachColumnHoldsTheSameKindsOfValue() {
    // pandas types a column by all its values: merged, one client's 1.5 would turn another's
    // integer ids into floats, and 9007199254740993 into 9007199254740992.0.
    PredictionInput ids = input("[[9007199254740993,1]]");
    assertTrue(ids.mergeableWith(input("[[3, 2]]")));
    assertFalse(ids.mergeableWith(input("[[2,1.5]]")));
    assertFalse(ids.mergeableWith(input("[[2.0,1]]")), "7 and 7.0 are different kinds");
    assertFalse(ids.mergeableWith(input("[[null,1]]")));
    assertFalse(ids.mergeableWith(input("[[\"2\",1]]")));
    assertFalse(ids.mergeableWith(input("[[true,1]]")));
    assertFalse(ids.mergeableWith(input("[[[2],1]]")));
    assertFalse(ids.mergeableWith(input("[[92233720368547758070,1]]")), "beyond int64");
    assertTrue(
        input("[[9223372036854775807,1],[-9223372036854775808,2]]")
            .mergeableWith(input("[[1,2]]")));
    assertFalse(input("[[9223372036854775808,1]]").mergeableWith(input("[[1,2]]")));
    // Mixed columns merge with the same mix, whichever rows hold which kind.
    assertTrue(input("[[1,\"a\"],[2.5,\"b\"]]").mergeableWith(input("[[2.5,\"c\"],[3,\"d\"]]")));
    // The wine case: all floats, through the parser or the fast path, merge with each other.
    PredictionInput floats = input("[[7.4,0.7,0.0],[7.8,0.88,0.0]]");
    assertTrue(floats.mergeableWith(PredictionInput.of(null, scanned("[[6.1,1e3,NaN]]"))));
    assertTrue(floats.mergeableWith(PredictionInput.of(null, scanned("[[6.1,1e3,0.5]]"))));
    assertFalse(floats.mergeableWith(PredictionInput.of(null, scanned("[[6,1e3,0.5]]"))));
    assertFalse(
        PredictionInput.of(null, scanned("[[92233720368547758070]]"))
            .mergeableWith(PredictionInput.of(null, scanned("[[1]]"))));
  }

  /** The rows as the ODAHU codec's fast path reads them, or, failing that, the parser. */
  private static JsonRows scanned(String json) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    JsonRows rows = JsonRows.scanNumbers(bytes, 0);
    return rows != null ? rows : input(json).rows();
  }

  @Test
  void malformedDataIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> input("[[1,"));
  }
}
