package org.odahu.pack.batch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.odahu.pack.gppi.JsonText;

/**
 * The values of one answer row for formats with one field per value: an array row's elements, or
 * the row itself when it is not an array; and the column names when the answer's columns are an
 * array of strings.
 */
final class AnswerValues {
  private static final JsonFactory JSON = new JsonFactory();

  /**
   * One value's text and kind.
   *
   * @param start where its text starts in the answer
   * @param end where it ends
   * @param token its kind ({@code VALUE_STRING}, {@code START_ARRAY}, ...)
   * @param text the string's value, for strings only
   */
  record Value(int start, int end, JsonToken token, String text) {}

  private AnswerValues() {}

  /** The values of row {@code index} of {@code rows}. */
  static List<Value> of(PredictionRows rows, int index) {
    byte[] json = rows.json();
    int from = rows.start(index);
    try (JsonParser parser = JSON.createParser(json, from, rows.end(index) - from)) {
      List<Value> values = new ArrayList<>();
      if (parser.nextToken() != JsonToken.START_ARRAY) {
        values.add(value(parser, from));
        return values;
      }
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        values.add(value(parser, from));
      }
      return values;
    } catch (IOException e) {
      throw new UncheckedIOException("the worker's answer is not well-formed JSON", e);
    }
  }

  private static Value value(JsonParser parser, int from) throws IOException {
    JsonToken token = parser.currentToken();
    int start = from + (int) parser.currentTokenLocation().getByteOffset();
    String text = token == JsonToken.VALUE_STRING ? parser.getText() : null;
    parser.skipChildren();
    parser.finishToken();
    return new Value(start, from + (int) parser.currentLocation().getByteOffset(), token, text);
  }

  /** The names in {@code columnsJson} if it is an array of strings, else {@code null}. */
  static List<String> names(byte[] columnsJson) {
    if (columnsJson == null) {
      return null;
    }
    return JsonText.slice(columnsJson, 0, columnsJson.length).strings();
  }
}
