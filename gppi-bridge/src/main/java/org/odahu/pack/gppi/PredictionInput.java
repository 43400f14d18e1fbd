package org.odahu.pack.gppi;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A GPPI matrix prediction request: {@code {"columns": [...]?, "data": [[...], ...]}}, the body of
 * ODAHU's {@code POST /api/model/invoke} and of its batch CLI's input file.
 *
 * @param columns the column names the client sent, or {@code null}
 * @param rows the matrix rows, each a JSON array of {@code rows.width()} values
 */
public record PredictionInput(List<String> columns, JsonRows rows) {
  private static final JsonFactory JSON = new JsonFactory();

  public PredictionInput {
    columns = columns == null ? null : List.copyOf(columns);
  }

  /** Whether this request may share a model call with {@code other}. */
  public boolean mergeableWith(PredictionInput other) {
    return rows.width() == other.rows.width()
        && (columns == null ? other.columns == null : columns.equals(other.columns));
  }

  /** Parses a request from UTF-8 JSON text. */
  public static PredictionInput parse(String json) {
    return parse(json.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Parses a request body. The checks, in order, and their messages follow ODAHU's server: empty
   * body, UTF-8, JSON syntax, then the matrix itself. Other keys are ignored.
   *
   * @throws InvalidInputException if the body is not a usable request
   */
  public static PredictionInput parse(byte[] body) {
    if (body.length == 0) {
      throw new InvalidInputException("Please provide data with this POST request");
    }
    checkUtf8(body);
    try (JsonParser parser = JSON.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        skipDocument(parser);
        throw new InvalidInputException(
            "Request body must be a JSON object with a \"data\" matrix");
      }
      List<String> columns = null;
      JsonRows rows = null;
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if ("data".equals(field)) {
          rows = readMatrix(parser, value, body);
        } else if ("columns".equals(field)) {
          columns = readColumns(parser, value);
        } else {
          parser.skipChildren();
        }
      }
      if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
        throw new InvalidInputException(
            "Can not parse input as JSON: unexpected content after the JSON object");
      }
      if (rows == null) {
        throw new InvalidInputException("Matrix is not provided");
      }
      if (columns != null && columns.size() != rows.width()) {
        throw new InvalidInputException(
            "columns lists "
                + columns.size()
                + " names but the matrix rows have "
                + rows.width()
                + " values");
      }
      return new PredictionInput(columns, rows);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException("Can not parse input as JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new InvalidInputException("Can not parse input as JSON: " + e.getMessage());
    }
  }

  private static void checkUtf8(byte[] body) {
    for (byte b : body) {
      if (b < 0) {
        try {
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(body));
          return;
        } catch (CharacterCodingException e) {
          throw new InvalidInputException(
              "Can not decode POST data using utf-8 charset: " + e.getMessage());
        }
      }
    }
  }

  /** Reads the rest of a non-object document so that JSON errors are reported as such first. */
  private static void skipDocument(JsonParser parser) throws IOException {
    parser.skipChildren();
    while (parser.nextToken() != null) {
      parser.skipChildren();
    }
  }

  private static List<String> readColumns(JsonParser parser, JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_NULL) {
      return null;
    }
    if (value != JsonToken.START_ARRAY) {
      parser.skipChildren();
      throw new InvalidInputException("columns must be an array of strings");
    }
    List<String> names = new ArrayList<>();
    JsonToken token;
    while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
      if (token != JsonToken.VALUE_STRING) {
        throw new InvalidInputException("columns must be an array of strings");
      }
      names.add(parser.getText());
    }
    return names;
  }

  private static JsonRows readMatrix(JsonParser parser, JsonToken value, byte[] body)
      throws IOException {
    if (value != JsonToken.START_ARRAY) {
      boolean falsy = isFalsyScalar(parser, value);
      parser.skipChildren();
      if (falsy) {
        return null;
      }
      throw new InvalidInputException("Matrix (\"data\") must be an array of rows");
    }
    int[] bounds = new int[16];
    int count = 0;
    int width = -1;
    JsonToken token;
    while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
      if (token != JsonToken.START_ARRAY) {
        throw new InvalidInputException(
            "Matrix (\"data\") must be an array of rows, but row " + count + " is not an array");
      }
      int start = (int) parser.currentTokenLocation().getByteOffset();
      int values = 0;
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        parser.skipChildren();
        values++;
      }
      int end = (int) parser.currentLocation().getByteOffset();
      if (width < 0) {
        width = values;
      } else if (values != width) {
        throw new InvalidInputException(
            "Matrix rows must all have the same length: row 0 has "
                + width
                + " values, row "
                + count
                + " has "
                + values);
      }
      if (2 * count + 2 > bounds.length) {
        bounds = Arrays.copyOf(bounds, bounds.length * 2);
      }
      bounds[2 * count] = start;
      bounds[2 * count + 1] = end;
      count++;
    }
    return count == 0 ? null : JsonRows.wrap(body, bounds, count, width);
  }

  /** ODAHU tests {@code if not matrix}: null, false, 0 and "" count as "not provided". */
  private static boolean isFalsyScalar(JsonParser parser, JsonToken value) throws IOException {
    return switch (value) {
      case VALUE_NULL, VALUE_FALSE -> true;
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getDoubleValue() == 0;
      case VALUE_STRING -> parser.getText().isEmpty();
      default -> false;
    };
  }
}
