package org.odahu.pack.server.v2;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import org.odahu.pack.gppi.InvalidInputException;
import org.odahu.pack.server.http.JsonBodies;

/**
 * One scalar JSON value as it reaches the model: its kind and its JSON text (numbers exactly as
 * written, strings re-quoted).
 *
 * @param kind what the value is
 * @param json the value's JSON text
 */
record JsonValue(Kind kind, String json) {

  /** The kinds of scalar JSON values, integers and other numbers apart. */
  enum Kind {
    TRUE,
    FALSE,
    NULL,
    INTEGER,
    FLOAT,
    STRING
  }

  /**
   * The scalar at {@code parser}'s current token, or null when the token is not a scalar.
   *
   * @param answer whether it is the model's: a lone surrogate in a string is then written as its
   *     JSON escape, as the other protocols' answers write it, not refused as a client's
   */
  static JsonValue read(JsonParser parser, boolean answer) throws IOException {
    JsonToken token = parser.currentToken();
    if (token == null) {
      return null;
    }
    return switch (token) {
      case VALUE_TRUE -> new JsonValue(Kind.TRUE, "true");
      case VALUE_FALSE -> new JsonValue(Kind.FALSE, "false");
      case VALUE_NULL -> new JsonValue(Kind.NULL, "null");
      case VALUE_NUMBER_INT -> new JsonValue(Kind.INTEGER, parser.getText());
      case VALUE_NUMBER_FLOAT -> new JsonValue(Kind.FLOAT, parser.getText());
      case VALUE_STRING ->
          new JsonValue(
              Kind.STRING,
              answer ? '"' + JsonBodies.escape(parser.getText()) + '"' : quote(parser.getText()));
      default -> null;
    };
  }

  /**
   * {@code text} as a JSON string.
   *
   * @throws InvalidInputException if it holds half a surrogate pair, which is not text
   */
  static String quote(String text) {
    int lone = JsonBodies.loneSurrogate(text, 0);
    if (lone >= 0) {
      throw new InvalidInputException(
          String.format(
              "A string holds a lone surrogate (\\u%04X), which is not text",
              (int) text.charAt(lone)));
    }
    return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + '"';
  }

  /** The value for messages: its JSON text, shortened when long. */
  String shown() {
    return json.length() <= 40 ? json : json.substring(0, 37) + "...";
  }
}
