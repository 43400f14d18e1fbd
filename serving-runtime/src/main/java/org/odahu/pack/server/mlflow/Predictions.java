package org.odahu.pack.server.mlflow;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.odahu.pack.gppi.Prediction;
import org.odahu.pack.gppi.RequestJson;

/**
 * The model's answer as MLflow's scoring server writes it, {@code {"predictions": ...}}: MLflow
 * writes a NumPy array as its list ({@code [6.4]} for a 1-D answer) and a DataFrame as records
 * ({@code [{"quality": 6.4}]}). A GPPI answer with one name per column is a DataFrame's (ODAHU's
 * MLflow entrypoint turns the DataFrame into an array and its column names), so a 2-D answer with
 * as many distinct names as columns is written as records; any other answer as it is.
 */
final class Predictions {
  private static final JsonFactory JSON = RequestJson.factory();
  private static final byte[] HEAD = "{\"predictions\": ".getBytes(StandardCharsets.US_ASCII);

  private Predictions() {}

  /** The response body for {@code prediction}. */
  static byte[] json(Prediction prediction) {
    byte[] values = prediction.predictionJson();
    List<String> names = names(prediction.columnsJson());
    byte[] records = names.isEmpty() ? null : records(values, names);
    byte[] body = records != null ? records : values;
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + HEAD.length + 1);
    out.writeBytes(HEAD);
    out.writeBytes(body);
    out.write('}');
    return out.toByteArray();
  }

  /** The 2-D answer {@code values} as records, or null when it is not rows of names' width. */
  private static byte[] records(byte[] values, List<String> names) {
    List<String> quoted = names.stream().map(JsonSlices::quote).toList();
    StringBuilder out = new StringBuilder(values.length * 2 + 16);
    try (JsonParser parser = JSON.createParser(values)) {
      if (parser.nextToken() != JsonToken.START_ARRAY) {
        return null;
      }
      out.append('[');
      int rows = 0;
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
          return null;
        }
        out.append(rows++ == 0 ? "{" : ",{");
        int column = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          if (column >= quoted.size()) {
            return null;
          }
          out.append(column == 0 ? "" : ",").append(quoted.get(column)).append(':');
          out.append(JsonSlices.slice(parser, values));
          column++;
        }
        if (column != quoted.size()) {
          return null;
        }
        out.append('}');
      }
      return rows == 0 ? null : out.append(']').toString().getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      return null;
    }
  }

  /** Distinct output column names, or none. */
  private static List<String> names(byte[] columns) {
    List<String> names = new ArrayList<>();
    try (JsonParser parser = JSON.createParser(columns)) {
      if (parser.nextToken() != JsonToken.START_ARRAY) {
        return List.of();
      }
      while (parser.nextToken() == JsonToken.VALUE_STRING) {
        names.add(parser.getText());
      }
      boolean complete = parser.currentToken() == JsonToken.END_ARRAY;
      return complete && new HashSet<>(names).size() == names.size() ? names : List.of();
    } catch (IOException e) {
      return List.of();
    }
  }
}
