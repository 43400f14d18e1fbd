package org.odahu.pack.gppi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What clients are told about JSON the server cannot read. */
class RequestJsonTest {
  private static String failure(String json) {
    JacksonException e =
        assertThrows(
            JacksonException.class,
            () -> {
              try (JsonParser parser =
                  RequestJson.factory().createParser(json.getBytes(StandardCharsets.UTF_8))) {
                while (parser.nextToken() != null) {
                  parser.skipChildren();
                }
              }
            });
    return RequestJson.describe(e, false);
  }

  @Test
  void messagesDescribeTheInputNotTheParsersSettings() {
    assertEquals("Non-standard token 'NaN'", failure("{\"data\": [[NaN]]}"));
    assertEquals(
        "Unexpected close marker '}': expected ']' (for Array starting at line 1, column 10)",
        failure("{\"data\":[[1}"));
    assertEquals(
        "Unexpected character ('/' (code 47)): maybe a (non-standard) comment?",
        failure("/*c*/{}"));
  }

  @Test
  void nestingStopsWellBeforePythonsRecursionLimit() throws IOException {
    String deepest = "[".repeat(RequestJson.MAX_DEPTH) + "]".repeat(RequestJson.MAX_DEPTH);
    try (JsonParser parser = RequestJson.factory().createParser(deepest)) {
      while (parser.nextToken() != null) {
        // every level is read
      }
    }
    int over = RequestJson.MAX_DEPTH + 1;
    assertEquals(
        "Document nesting depth (" + over + ") exceeds the maximum allowed (512)",
        failure("[".repeat(over) + "]".repeat(over)));
  }
}
