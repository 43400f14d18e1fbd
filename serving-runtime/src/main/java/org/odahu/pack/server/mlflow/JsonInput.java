package org.odahu.pack.server.mlflow;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.odahu.pack.gppi.InvalidInputException;
import org.odahu.pack.gppi.JsonText;
import org.odahu.pack.gppi.PredictionInput;
import org.odahu.pack.gppi.PythonJsonInput;
import org.odahu.pack.gppi.RequestJson;
import org.odahu.pack.server.http.DecodeMemory;
import org.odahu.pack.server.http.JsonBodies;

/**
 * A JSON body of MLflow's {@code POST /invocations}: an object with exactly one of {@code
 * dataframe_split}, {@code dataframe_records}, {@code instances}, {@code inputs}, and optionally
 * {@code params} (accepted; GPPI models take no parameters). Whatever the format, the model gets
 * the matrix and column names a pandas DataFrame of it has, values exactly as the client wrote
 * them. The JSON is read as MLflow's {@code json.loads} reads it: {@code NaN}, {@code Infinity} and
 * {@code -Infinity} are numbers.
 */
final class JsonInput {
  private static final String FORMATS =
      "{'dataframe_split', 'dataframe_records', 'instances', 'inputs'}";

  /**
   * What reading one value builds: its text, a list slot or a record's entry, ~80 bytes for a
   * one-digit number (each record and row too: a map or list of its own).
   */
  private static final int VALUE_BYTES = 64;

  private JsonInput() {}

  /**
   * The model input {@code body} holds.
   *
   * @throws InvalidInputException if it is not one of MLflow's formats
   */
  static PredictionInput parse(byte[] body, DecodeMemory memory) {
    if (JsonBodies.isWideJson(body)) {
      throw new InvalidInputException("Invalid input. " + JsonBodies.WIDE_JSON + ".");
    }
    try (JsonParser parser = memory.counting(PythonJsonInput.parser(body), VALUE_BYTES)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new InvalidInputException(
            "Invalid input. Ensure that input is a valid JSON formatted string. Error: Expecting"
                + " value: line 1 column 1 (char 0)");
      }
      if (first != JsonToken.START_OBJECT) {
        String received = first == JsonToken.START_ARRAY ? "Received a list" : "Received a value";
        throw new InvalidInputException(required() + " " + received + ".");
      }
      // A repeated key keeps its first place and its last value, as in the dict json.loads makes.
      Set<String> fields = new LinkedHashSet<>();
      Table table = null;
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        fields.add(field);
        switch (field) {
          case "dataframe_split" -> table = Formats.split(parser, value, body);
          case "dataframe_records" -> table = Formats.records(parser, value, body, field);
          case "instances", "inputs" -> table = Formats.tensors(parser, value, body, field);
          case "params" -> checkParams(parser, value);
          default -> parser.skipChildren();
        }
      }
      if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
        throw new InvalidInputException("Invalid input. The body has content after its object.");
      }
      long formats = fields.stream().filter(Formats.NAMES::contains).count();
      if (formats != 1) {
        throw new InvalidInputException(
            required() + " Received dictionary with input fields: " + pythonList(fields) + ".");
      }
      return table.toInput();
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(
          "Invalid input. Ensure that input is a valid JSON formatted string. Error: "
              + RequestJson.describe(e, false));
    } catch (IOException e) {
      throw new InvalidInputException("Invalid input. " + e.getMessage());
    }
  }

  private static void checkParams(JsonParser parser, JsonToken value) throws IOException {
    // MLflow takes "params": null as no parameters.
    if (value != JsonToken.START_OBJECT && value != JsonToken.VALUE_NULL) {
      parser.skipChildren();
      throw new InvalidInputException("Invalid input. \"params\" must be a JSON object.");
    }
    parser.skipChildren();
  }

  private static String required() {
    return "The input must be a JSON dictionary with exactly one of the input fields "
        + FORMATS
        + ".";
  }

  private static String pythonList(Set<String> names) {
    return names.stream()
        .map(name -> "'" + name + "'")
        .collect(java.util.stream.Collectors.joining(", ", "[", "]"));
  }

  /**
   * Column names (or none) and rows of JSON values: what a pandas DataFrame of the input holds.
   *
   * @param columns the names, or null for none
   * @param rows the rows, each a list of JSON texts
   * @param data the matrix's JSON when it is passed on as the client wrote it, else null
   */
  record Table(List<String> columns, List<List<String>> rows, String data) {
    PredictionInput toInput() {
      int count = data != null ? -1 : rows.size();
      if (count == 0) {
        throw new InvalidInputException("Invalid input. The input has no rows.");
      }
      JsonText names = columns == null ? null : JsonText.of(JsonSlices.names(columns));
      PredictionInput input =
          PredictionInput.of(names, JsonText.of(data != null ? data : JsonSlices.rows(rows)));
      if (input.rowCount() == 0 || (input.rows() == null)) {
        throw new InvalidInputException("Invalid input. The input has no rows.");
      }
      return input;
    }

    /** A table from records: the union of their keys, in order, missing values null. */
    static Table ofRecords(List<Map<String, String>> records) {
      Map<String, Boolean> union = new LinkedHashMap<>();
      for (Map<String, String> record : records) {
        record.keySet().forEach(key -> union.put(key, true));
      }
      List<String> columns = List.copyOf(union.keySet());
      JsonBodies.checkCells(records.size(), columns.size(), "Invalid input. The records' ");
      List<List<String>> rows = new ArrayList<>(records.size());
      for (Map<String, String> record : records) {
        List<String> row = new ArrayList<>(columns.size());
        for (String column : columns) {
          row.add(record.getOrDefault(column, "null"));
        }
        rows.add(row);
      }
      return new Table(columns, rows, null);
    }
  }
}
