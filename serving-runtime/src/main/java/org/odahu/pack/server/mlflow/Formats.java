package org.odahu.pack.server.mlflow;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.odahu.pack.gppi.InvalidInputException;

/** Reads each of MLflow's JSON input formats into a {@link JsonInput.Table}. */
final class Formats {
  /** The fields that name an input format. */
  static final Set<String> NAMES =
      Set.of("dataframe_split", "dataframe_records", "instances", "inputs");

  private Formats() {}

  /** {@code dataframe_split}: pandas' split orientation, {@code {"columns", "data", "index"}}. */
  static JsonInput.Table split(JsonParser parser, JsonToken value, byte[] body) throws IOException {
    if (value != JsonToken.START_OBJECT) {
      parser.skipChildren();
      throw invalid("\"dataframe_split\" must be an object with \"columns\" and \"data\".");
    }
    List<String> columns = null;
    List<List<String>> rows = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken fieldValue = parser.nextToken();
      if (field.equals("columns")) {
        columns = names(parser, fieldValue);
      } else if (field.equals("data")) {
        rows = rows(parser, fieldValue, body, "\"dataframe_split\".\"data\"");
      } else {
        parser.skipChildren(); // "index" does not reach the model, as with ODAHU's matrix
      }
    }
    if (rows == null) {
      throw invalid("\"dataframe_split\" has no \"data\".");
    }
    // pandas fills short rows with missing values, up to the longest row, which must fit the
    // columns when they are named.
    int width = rows.stream().mapToInt(List::size).max().orElse(0);
    if (columns != null && width != columns.size() && !rows.isEmpty()) {
      throw invalid(
          columns.size()
              + " columns passed, passed data had "
              + width
              + " columns (\"dataframe_split\").");
    }
    for (int r = 0; r < rows.size(); r++) {
      if (rows.get(r).size() < width) {
        List<String> filled = new ArrayList<>(rows.get(r));
        filled.addAll(java.util.Collections.nCopies(width - filled.size(), "null"));
        rows.set(r, filled);
      }
    }
    return new JsonInput.Table(columns, rows, null);
  }

  /** {@code dataframe_records}: an array of objects, one per row. */
  static JsonInput.Table records(JsonParser parser, JsonToken value, byte[] body, String field)
      throws IOException {
    if (value != JsonToken.START_ARRAY) {
      parser.skipChildren();
      throw invalid("\"" + field + "\" must be an array of records (objects).");
    }
    List<Map<String, String>> records = new ArrayList<>();
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      if (parser.currentToken() != JsonToken.START_OBJECT) {
        parser.skipChildren();
        throw invalid("Each element of \"" + field + "\" must be a record (an object).");
      }
      records.add(record(parser, body));
    }
    return JsonInput.Table.ofRecords(records);
  }

  /**
   * {@code instances} or {@code inputs}, TensorFlow Serving's formats: a list of records, of rows
   * or of scalars (one value per row), or columnar, {@code {"column": [values...]}}.
   */
  static JsonInput.Table tensors(JsonParser parser, JsonToken value, byte[] body, String field)
      throws IOException {
    if (value == JsonToken.START_OBJECT) {
      return columnar(parser, body, field);
    }
    if (value != JsonToken.START_ARRAY) {
      parser.skipChildren();
      throw invalid("\"" + field + "\" must be a list of rows or an object of columns.");
    }
    int start = (int) parser.currentTokenLocation().getByteOffset();
    List<Map<String, String>> records = new ArrayList<>();
    List<List<String>> rows = new ArrayList<>();
    int arrays = 0;
    JsonToken element;
    while ((element = parser.nextToken()) != JsonToken.END_ARRAY) {
      if (element == JsonToken.START_OBJECT) {
        records.add(record(parser, body));
        continue;
      }
      arrays += element == JsonToken.START_ARRAY ? 1 : 0;
      rows.add(List.of(JsonSlices.slice(parser, body)));
    }
    if (!records.isEmpty() && !rows.isEmpty()) {
      throw invalid("\"" + field + "\" mixes records (objects) with other values.");
    }
    if (arrays > 0 && arrays < rows.size()) {
      throw invalid("\"" + field + "\" mixes rows (lists) with single values.");
    }
    boolean allRows = arrays > 0;
    if (!records.isEmpty()) {
      return JsonInput.Table.ofRecords(records);
    }
    if (allRows) {
      parser.finishToken();
      int end = (int) parser.currentLocation().getByteOffset();
      return new JsonInput.Table(null, rows, new String(body, start, end - start, UTF8));
    }
    return new JsonInput.Table(null, rows, null);
  }

  private static final java.nio.charset.Charset UTF8 = java.nio.charset.StandardCharsets.UTF_8;

  /**
   * {@code {"inputs": {"a": [1, 2], "b": [3, 4]}}} (or {@code instances}): one array per column, or
   * one value each.
   */
  private static JsonInput.Table columnar(JsonParser parser, byte[] body, String field)
      throws IOException {
    Map<String, List<String>> columns = new LinkedHashMap<>();
    Boolean arrays = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      boolean array = value == JsonToken.START_ARRAY;
      if (arrays != null && arrays != array) {
        throw invalid("The columns of \"" + field + "\" must all be lists, or all single values.");
      }
      arrays = array;
      List<String> values = new ArrayList<>();
      if (array) {
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          values.add(JsonSlices.slice(parser, body));
        }
      } else {
        values.add(JsonSlices.slice(parser, body));
      }
      columns.put(name, values);
    }
    if (columns.isEmpty()) {
      throw invalid("\"" + field + "\" has no columns.");
    }
    int length = columns.values().iterator().next().size();
    if (columns.values().stream().anyMatch(values -> values.size() != length)) {
      throw invalid("The length of values for each input/column name are not the same.");
    }
    List<List<String>> rows = new ArrayList<>(length);
    for (int r = 0; r < length; r++) {
      List<String> row = new ArrayList<>(columns.size());
      for (List<String> values : columns.values()) {
        row.add(values.get(r));
      }
      rows.add(row);
    }
    return new JsonInput.Table(List.copyOf(columns.keySet()), rows, null);
  }

  private static Map<String, String> record(JsonParser parser, byte[] body) throws IOException {
    Map<String, String> record = new LinkedHashMap<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String key = parser.currentName();
      parser.nextToken();
      record.put(key, JsonSlices.slice(parser, body));
    }
    return record;
  }

  /** The rows of a {@code data} array: each an array of values, or a single value. */
  private static List<List<String>> rows(
      JsonParser parser, JsonToken value, byte[] body, String what) throws IOException {
    if (value != JsonToken.START_ARRAY) {
      parser.skipChildren();
      throw invalid(what + " must be a list of rows.");
    }
    List<List<String>> rows = new ArrayList<>();
    JsonToken element;
    while ((element = parser.nextToken()) != JsonToken.END_ARRAY) {
      if (element != JsonToken.START_ARRAY) {
        rows.add(List.of(JsonSlices.slice(parser, body)));
        continue;
      }
      List<String> row = new ArrayList<>();
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        row.add(JsonSlices.slice(parser, body));
      }
      rows.add(row);
    }
    return rows;
  }

  private static List<String> names(JsonParser parser, JsonToken value) throws IOException {
    if (value != JsonToken.START_ARRAY) {
      parser.skipChildren();
      throw invalid("\"columns\" must be a list of column names.");
    }
    List<String> names = new ArrayList<>();
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      JsonToken token = parser.currentToken();
      if (token != JsonToken.VALUE_STRING && token != JsonToken.VALUE_NUMBER_INT) {
        parser.skipChildren();
        throw invalid("\"columns\" must hold column names (strings).");
      }
      names.add(parser.getText());
    }
    return names;
  }

  private static InvalidInputException invalid(String message) {
    return new InvalidInputException("Invalid input. " + message);
  }
}
