package org.odahu.pack.gppi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** JSON as Python's {@code json.loads} reads it: NaN, Infinity and -Infinity, and no more. */
class PythonJsonInputTest {
  private static List<String> values(String json) throws IOException {
    List<String> values = new ArrayList<>();
    try (JsonParser parser = PythonJsonInput.parser(json.getBytes(StandardCharsets.UTF_8))) {
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if (token.isScalarValue()) {
          values.add(
              token == JsonToken.VALUE_NUMBER_FLOAT
                  ? "" + parser.getDoubleValue()
                  : parser.getText());
        }
      }
    }
    return values;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "[NaN, Infinity, -Infinity, 1e+5, -1.5E-3]",
        "{\"+Inf\": \"-INF\", \"a\\\"+I\": [NaN,-Infinity,Infinity,1E+2]}",
      })
  void pythonsLiteralsAreNumbersAndStringsAreStrings(String json) throws IOException {
    List<String> values = values(json);
    assertEquals(
        json.startsWith("[")
            ? List.of("NaN", "Infinity", "-Infinity", "100000.0", "-0.0015")
            : List.of("-INF", "NaN", "-Infinity", "Infinity", "100.0"),
        values,
        json);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"[+Infinity]", "[-INF]", "[+INF]", "{\"a\": [1, +INF]}", "[\"x\\\\\",+Infinity]"})
  void whatJacksonAloneWouldAlsoReadIsRefused(String json) {
    JsonParseException refused = assertThrows(JsonParseException.class, () -> values(json));
    String token = json.replaceAll(".*([+-]I[A-Za-z]*).*", "$1");
    assertEquals(
        "Unrecognized token '"
            + token
            + "': the only non-finite numbers are NaN, Infinity and -Infinity",
        refused.getOriginalMessage(),
        json);
  }

  @ParameterizedTest
  @ValueSource(strings = {"[nan]", "[inf]", "[-NaN]", "[INF]", "[NaN1]"})
  void whatPythonRefusesJacksonRefusesToo(String json) {
    assertThrows(JsonParseException.class, () -> values(json));
  }

  @ParameterizedTest
  @ValueSource(strings = {"\u0000[1]", "[\u0000]", "[1,\u0000]"})
  void aZeroByteAtTheStartIsNotTakenForUtf16(String json) {
    // Jackson alone reads such text as UTF-16 or UTF-32 and reports characters the text lacks.
    JsonParseException refused = assertThrows(JsonParseException.class, () -> values(json));
    assertEquals("Unexpected byte 0x0: JSON text must be UTF-8", refused.getOriginalMessage());
  }
}
