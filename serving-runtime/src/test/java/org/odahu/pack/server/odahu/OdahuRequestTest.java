package org.odahu.pack.server.odahu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.odahu.pack.gppi.InvalidInputException;
import org.odahu.pack.gppi.PredictionInput;

class OdahuRequestTest {

  private static PredictionInput parse(String body) {
    return OdahuRequest.parse(body.getBytes(StandardCharsets.UTF_8));
  }

  private static String error(String body) {
    return assertThrows(InvalidInputException.class, () -> parse(body)).getMessage();
  }

  @Test
  void keepsValuesAsTheClientWroteThem() {
    PredictionInput input =
        parse(
            "{\"columns\": [\"a\",\"b\"], \"data\": [[1, 2.50], [ 123456789012345678901234 ,"
                + " \"x\\u00e9\" ]], \"extra\": {\"ignored\": [1]}}");
    assertEquals("[\"a\",\"b\"]", input.columns().toString());
    assertEquals(2, input.rows().count());
    assertEquals("[1, 2.50]", input.rows().row(0));
    assertEquals("[ 123456789012345678901234 , \"x\\u00e9\" ]", input.rows().row(1));
    assertTrue(input.isMergeable());
  }

  @Test
  void multiByteTextKeepsExactSlices() {
    PredictionInput input = parse("{\"data\":[[\"日本\",1],[\"ü\",2]], \"columns\": \"é\"}");
    assertEquals("[\"ü\",2]", input.rows().row(1));
    assertEquals("\"é\"", input.columns().toString());
  }

  /** What ODAHU's handler handed to the model reaches it unchanged (and alone). */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"columns\": \"Destiny line\", \"data\": [[1,2,3,4]]} | \"Destiny line\" | [[1,2,3,4]]",
        "{\"columns\": [\"a\"], \"data\": [[1, 2]]} | [\"a\"] | [[1, 2]]",
        "{\"data\": [[1, 2], [3]]} | | [[1, 2], [3]]",
        "{\"data\": [1, 2, 3]} | | [1, 2, 3]",
        "{\"data\": 5 , \"columns\":[1]} | [1] | 5",
        "{\"data\":-1.5e3} | | -1.5e3",
        "{\"data\": \"text\"} | | \"text\"",
        "{\"data\": \"a \\\"quoted\\\" é\"} | | \"a \\\"quoted\\\" é\"",
        "{\"data\": true} | | true",
        "{\"data\": {\"a\": [1]}} | | {\"a\": [1]}",
        "{\"data\": [[]]} | | [[]]",
        "{\"data\": [[1]], \"columns\": null} | | [[1]]",
        "{\"data\": 0, \"data\": [[7]]} | | [[7]]",
      })
  void whatOdahuPassedReachesTheModel(String body, String columns, String data) {
    PredictionInput input = parse(body);
    assertEquals(columns, input.columns() == null ? null : input.columns().toString());
    assertEquals(data, input.data().toString());
  }

  @Test
  void onlyRectangularRowsWithMatchingStringColumnsMayBeMerged() {
    assertTrue(parse("{\"data\": [[1, 2]], \"columns\": [\"a\", \"b\"]}").isMergeable());
    assertTrue(parse("{\"data\": [[1, 2], [3, 4]]}").isMergeable());
    assertFalse(parse("{\"data\": [[1, 2]], \"columns\": [\"a\"]}").isMergeable());
    assertFalse(parse("{\"data\": [[1, 2]], \"columns\": \"ab\"}").isMergeable());
    assertFalse(parse("{\"data\": [[1, 2], [3]]}").isMergeable());
    assertFalse(parse("{\"data\": [1, 2]}").isMergeable());
  }

  @Test
  void aNumberLongerThanTheParserTakesIsRefusedAsTheClientsWhereverItIs() {
    String digits = "1".repeat(1500);
    // Alone in its matrix (which the fast path reads) or beside a string (the parser), the same
    // 400.
    for (String row : List.of(digits, digits + ", \"x\"")) {
      String message = error("{\"data\":[[" + row + "]]}");
      assertTrue(
          message.startsWith("Can not parse input as JSON: Number value length (1500)"), message);
    }
    assertEquals(1, parse("{\"data\":[[" + "1".repeat(1000) + "]]}").rowCount());
  }

  @Test
  void emptyBody() {
    assertEquals("Please provide data with this POST request", error(""));
  }

  @Test
  void invalidUtf8() {
    byte[] body = {'{', '"', 'd', '"', ':', (byte) 0xff, '}'};
    String message =
        assertThrows(InvalidInputException.class, () -> OdahuRequest.parse(body)).getMessage();
    assertTrue(message.startsWith("Can not decode POST data using utf-8 charset: "), message);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"{", "{\"data\": [[1,]]}", "not json", "{\"data\":[[1]]} trailing", "[1,"})
  void malformedJson(String body) {
    assertTrue(error(body).startsWith("Can not parse input as JSON: "), error(body));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"data\": [[\"\\ud800\"]]}",
        "{\"data\": [[\"a\\udc00\"]]}",
        "{\"\\ud83d\": 1, \"data\": [[1]]}",
        "{\"data\": [[\"\\ud83d\\u0041\"]]}"
      })
  void loneSurrogatesAreNotJsonAsOrjsonSaysIt(String body) {
    String error = error(body);
    assertTrue(error.startsWith("Can not parse input as JSON: "), error);
    assertTrue(error.contains("surrogate"), error);
  }

  @Test
  void utf16AndUtf32BodiesAreRefusedAsJsonNotFailedOn() {
    for (String charset : new String[] {"UTF-16LE", "UTF-16BE", "UTF-16", "UTF-32LE", "UTF-32"}) {
      byte[] body = "{\"data\": [[1]]}".getBytes(java.nio.charset.Charset.forName(charset));
      InvalidInputException e =
          assertThrows(InvalidInputException.class, () -> OdahuRequest.parse(body), charset);
      // As ODAHU: not UTF-8 (a byte order mark), or UTF-8 that is no JSON (NUL bytes).
      assertTrue(
          e.getMessage().startsWith("Can not parse input as JSON: ")
              || e.getMessage().startsWith("Can not decode POST data using utf-8 charset"),
          e.getMessage());
    }
  }

  @Test
  void surrogatePairsAndEscapedBackslashesAreFine() {
    assertEquals(
        "[[\"\\ud83d\\ude00\"]]", parse("{\"data\": [[\"\\ud83d\\ude00\"]]}").data().toString());
    assertEquals("[[\"\\\\ud800\"]]", parse("{\"data\": [[\"\\\\ud800\"]]}").data().toString());
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
        "{\"data\": [ ]}",
        "{\"data\": {}}",
        "{\"data\": { }}",
        "{\"data\": 0}",
        "{\"data\": -0.0}",
        "{\"data\": \"\"}",
        "{\"data\": false}",
        "{\"data\": [[1]], \"data\": null}",
        "{\"columns\": [\"a\"]}"
      })
  void missingMatrixAsOdahuSaysIt(String body) {
    assertEquals("Matrix is not provided", error(body));
  }

  @Test
  void columnsMayBeAbsent() {
    assertNull(parse("{\"data\":[[1]]}").columns());
  }
}
