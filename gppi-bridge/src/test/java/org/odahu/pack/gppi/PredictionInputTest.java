package org.odahu.pack.gppi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PredictionInputTest {

  private static String error(String body) {
    return assertThrows(InvalidInputException.class, () -> PredictionInput.parse(body))
        .getMessage();
  }

  @Test
  void keepsRowsAsTheClientWroteThem() {
    PredictionInput input =
        PredictionInput.parse(
            "{\"columns\": [\"a\",\"b\"], \"data\": [[1, 2.50], [ 123456789012345678901234 ,"
                + " \"x\\u00e9\" ]], \"extra\": {\"ignored\": [1]}}");
    assertEquals(List.of("a", "b"), input.columns());
    assertEquals(2, input.rows().count());
    assertEquals(2, input.rows().width());
    assertEquals("[1, 2.50]", input.rows().row(0));
    assertEquals("[ 123456789012345678901234 , \"x\\u00e9\" ]", input.rows().row(1));
  }

  @Test
  void columnsAreOptional() {
    PredictionInput input = PredictionInput.parse("{\"data\":[[{\"nested\":[1,2]},null,true]]}");
    assertNull(input.columns());
    assertEquals(3, input.rows().width());
    assertEquals("[{\"nested\":[1,2]},null,true]", input.rows().row(0));
  }

  @Test
  void multiByteTextKeepsExactSlices() {
    byte[] body = "{\"data\":[[\"日本\",1],[\"ü\",2]]}".getBytes(StandardCharsets.UTF_8);
    PredictionInput input = PredictionInput.parse(body);
    assertEquals("[\"ü\",2]", input.rows().row(1));
  }

  @Test
  void emptyBody() {
    assertEquals("Please provide data with this POST request", error(""));
  }

  @Test
  void invalidUtf8() {
    byte[] body = {'{', '"', 'd', '"', ':', (byte) 0xff, '}'};
    String message =
        assertThrows(InvalidInputException.class, () -> PredictionInput.parse(body)).getMessage();
    assertTrue(message.startsWith("Can not decode POST data using utf-8 charset: "), message);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"{", "{\"data\": [[1,]]}", "not json", "{\"data\":[[1]]} trailing", "[1,"})
  void malformedJson(String body) {
    assertTrue(error(body).startsWith("Can not parse input as JSON: "), error(body));
  }

  @ParameterizedTest
  @ValueSource(strings = {"[[1,2]]", "42", "\"text\"", "null"})
  void bodyMustBeAnObject(String body) {
    assertEquals("Request body must be a JSON object with a \"data\" matrix", error(body));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{}",
        "{\"data\": null}",
        "{\"data\": []}",
        "{\"data\": 0}",
        "{\"data\": \"\"}",
        "{\"data\": false}",
        "{\"columns\": [\"a\"]}"
      })
  void missingMatrixAsOdahuSaysIt(String body) {
    assertEquals("Matrix is not provided", error(body));
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"data\": 5}", "{\"data\": {\"a\": 1}}", "{\"data\": [1, 2]}"})
  void matrixMustBeRows(String body) {
    assertTrue(error(body).startsWith("Matrix (\"data\") must be an array of rows"), error(body));
  }

  @Test
  void raggedRows() {
    assertEquals(
        "Matrix rows must all have the same length: row 0 has 2 values, row 2 has 1",
        error("{\"data\": [[1,2],[3,4],[5]]}"));
  }

  @Test
  void columnCountMustMatchRows() {
    assertEquals(
        "columns lists 3 names but the matrix rows have 2 values",
        error("{\"columns\": [\"a\",\"b\",\"c\"], \"data\": [[1,2]]}"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"{\"columns\": \"a\", \"data\": [[1]]}", "{\"columns\": [1], \"data\": [[1]]}"})
  void columnsMustBeStrings(String body) {
    assertEquals("columns must be an array of strings", error(body));
  }

  @Test
  void mergeableOnlyWithSameColumnsAndWidth() {
    PredictionInput a = PredictionInput.parse("{\"columns\":[\"x\",\"y\"],\"data\":[[1,2]]}");
    PredictionInput b = PredictionInput.parse("{\"columns\":[\"x\",\"y\"],\"data\":[[3,4],[5,6]]}");
    PredictionInput c = PredictionInput.parse("{\"columns\":[\"y\",\"x\"],\"data\":[[1,2]]}");
    PredictionInput d = PredictionInput.parse("{\"data\":[[1,2]]}");
    PredictionInput e = PredictionInput.parse("{\"data\":[[1,2,3]]}");
    assertTrue(a.mergeableWith(b));
    assertFalse(a.mergeableWith(c));
    assertFalse(a.mergeableWith(d));
    assertFalse(d.mergeableWith(e));
    assertTrue(d.mergeableWith(PredictionInput.parse("{\"data\":[[7,8]]}")));
  }
}
