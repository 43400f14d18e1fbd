package org.odahu.pack.server.odahu;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.odahu.pack.gppi.InvalidInputException;
import org.odahu.pack.gppi.JsonRows;
import org.odahu.pack.gppi.JsonText;
import org.odahu.pack.gppi.PredictionInput;

/**
 * ODAHU's prediction request {@code {"columns": ..., "data": ...}}, the body of its server's {@code
 * POST /api/model/invoke} and its batch CLI's input file, read as ODAHU's handler reads it: a
 * non-empty UTF-8 body, valid JSON (as orjson: no lone surrogates), an object, whose {@code data}
 * is truthy (Python's {@code if not matrix}). Whatever passes reaches the model unchanged, as the
 * client wrote it: {@code columns} of any shape, rows of any width, flat or ragged {@code data}
 * (pandas decides). Other keys are ignored; of repeated keys the last counts.
 */
public final class OdahuRequest {
  private static final JsonFactory JSON = new JsonFactory();

  private OdahuRequest() {}

  /**
   * The model input {@code body} carries. The checks, in order, and their messages follow ODAHU's
   * server: empty body, UTF-8, JSON syntax, an object, a matrix.
   *
   * @throws InvalidInputException if ODAHU could not have called the model with it
   */
  public static PredictionInput parse(byte[] body) {
    if (body.length == 0) {
      throw new InvalidInputException("Please provide data with this POST request");
    }
    checkUtf8(body);
    try {
      JsonStrings.checkSurrogates(body);
      return read(body);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException("Can not parse input as JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new InvalidInputException("Can not parse input as JSON: " + e.getMessage());
    }
  }

  private static PredictionInput read(byte[] body) throws IOException {
    try (JsonParser parser = JSON.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        skipDocument(parser);
        throw new InvalidInputException(
            "Request body must be a JSON object with a \"data\" matrix");
      }
      JsonText columns = null;
      Object data = null;
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if ("data".equals(field)) {
          data = readData(parser, value, body);
        } else if ("columns".equals(field)) {
          columns = slice(parser, body);
        } else {
          parser.skipChildren();
        }
      }
      if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
        throw new InvalidInputException(
            "Can not parse input as JSON: unexpected content after the JSON object");
      }
      return switch (data) {
        case JsonRows rows -> PredictionInput.of(columns, rows);
        case JsonText text -> PredictionInput.of(columns, text);
        case null, default -> throw new InvalidInputException("Matrix is not provided");
      };
    }
  }

  /**
   * The matrix, as {@link JsonRows} or {@link JsonText}; {@code null} when Python finds it falsy.
   */
  private static Object readData(JsonParser parser, JsonToken value, byte[] body)
      throws IOException {
    if (value == JsonToken.START_ARRAY) {
      JsonRows rows = JsonRows.read(parser, body);
      return rows.count() == 0 ? null : rows;
    }
    boolean falsy = isFalsyScalar(parser, value);
    JsonText text = slice(parser, body);
    return falsy || (value == JsonToken.START_OBJECT && isEmptyObject(text)) ? null : text;
  }

  /** The value at the parser's current token, which it reads to its end. */
  private static JsonText slice(JsonParser parser, byte[] body) throws IOException {
    int start = (int) parser.currentTokenLocation().getByteOffset();
    parser.skipChildren();
    parser.finishToken();
    return JsonText.slice(body, start, (int) parser.currentLocation().getByteOffset());
  }

  /** ODAHU tests {@code if not matrix}: null, false, 0, "" (and [], {}) are "not provided". */
  private static boolean isFalsyScalar(JsonParser parser, JsonToken value) throws IOException {
    return switch (value) {
      case VALUE_NULL, VALUE_FALSE -> true;
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getDoubleValue() == 0;
      case VALUE_STRING -> parser.getTextLength() == 0;
      default -> false;
    };
  }

  private static boolean isEmptyObject(JsonText object) {
    return object.toString().substring(1, object.toString().length() - 1).isBlank();
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
}
