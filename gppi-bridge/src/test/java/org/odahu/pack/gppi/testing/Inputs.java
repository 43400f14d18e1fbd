package org.odahu.pack.gppi.testing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.odahu.pack.gppi.JsonRows;
import org.odahu.pack.gppi.JsonText;
import org.odahu.pack.gppi.Prediction;
import org.odahu.pack.gppi.PredictionInput;

/**
 * Prediction inputs and answers written the way tests find easiest to read: an ODAHU request body
 * ({@code {"columns": ..., "data": ...}}, no validation: the servers' codecs do that) and the
 * answer as one JSON document.
 */
public final class Inputs {
  private static final JsonFactory JSON = new JsonFactory();

  private Inputs() {}

  /** The input a body {@code {"columns": ..., "data": ...}} carries, values kept as written. */
  public static PredictionInput body(String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    try (JsonParser parser = JSON.createParser(bytes)) {
      parser.nextToken();
      JsonText columns = null;
      JsonRows rows = null;
      JsonText data = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        int start = (int) parser.currentTokenLocation().getByteOffset();
        if ("data".equals(field) && value == JsonToken.START_ARRAY) {
          rows = JsonRows.read(parser, bytes);
        } else {
          parser.skipChildren();
          parser.finishToken();
          JsonText text =
              JsonText.slice(bytes, start, (int) parser.currentLocation().getByteOffset());
          if ("data".equals(field)) {
            data = text;
          } else if ("columns".equals(field)) {
            columns = text;
          }
        }
      }
      return rows != null ? PredictionInput.of(columns, rows) : PredictionInput.of(columns, data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code {"prediction":...,"columns":...}}, compact, as ODAHU's server answers. */
  public static String answer(Prediction prediction) {
    return "{\"prediction\":"
        + new String(prediction.predictionJson(), StandardCharsets.UTF_8)
        + ",\"columns\":"
        + new String(prediction.columnsJson(), StandardCharsets.UTF_8)
        + "}";
  }
}
