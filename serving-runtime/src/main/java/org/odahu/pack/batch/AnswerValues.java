package org.odahu.pack.batch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.odahu.pack.gppi.JsonText;
import org.odahu.pack.gppi.RequestJson;

/**
 * The values of one answer row for formats with one field per value: an array row's elements, or
 * the row itself when it is not an array; and the column names when the answer's columns are an
 * array of strings.
 */
final class AnswerValues {
  private static final JsonFactory JSON = RequestJson.factory();

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
    int count = rows.values(index);
    List<Value> values = new ArrayList<>(count);
    for (int v = 0; v < count; v++) {
      int start = rows.valueStart(index, v);
      int end = rows.valueEnd(index, v);
      JsonToken token = rows.valueToken(index, v);
      String text = token == JsonToken.VALUE_STRING ? string(rows.json(), start, end) : null;
      values.add(new Value(start, end, token, text));
    }
    return values;
  }

  private static String string(byte[] json, int start, int end) {
    try (JsonParser parser = JSON.createParser(json, start, end - start)) {
      parser.nextToken();
      return parser.getText();
    } catch (IOException e) {
      throw new UncheckedIOException("the worker's answer is not well-formed JSON", e);
    }
  }

  /** The names in {@code columnsJson} if it is an array of strings, else {@code null}. */
  static List<String> names(byte[] columnsJson) {
    if (columnsJson == null) {
      return null;
    }
    return JsonText.slice(columnsJson, 0, columnsJson.length).strings();
  }
}
