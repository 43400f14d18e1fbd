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
import java.util.Arrays;
import org.odahu.pack.gppi.InvalidInputException;
import org.odahu.pack.gppi.JsonRows;
import org.odahu.pack.gppi.JsonText;
import org.odahu.pack.gppi.PredictionInput;
import org.odahu.pack.gppi.RequestJson;
import org.odahu.pack.server.http.JsonBodies;

/**
 * ODAHU's prediction request {@code {"columns": ..., "data": ...}}, the body of its server's {@code
 * POST /api/model/invoke} and its batch CLI's input file, read as ODAHU's handler reads it: a
 * non-empty UTF-8 body, valid JSON (as orjson: no lone surrogates), an object, whose {@code data}
 * is truthy (Python's {@code if not matrix}). Whatever passes reaches the model unchanged, as the
 * client wrote it: {@code columns} of any shape, rows of any width, flat or ragged {@code data}
 * (pandas decides). Other keys are ignored; of repeated keys the last counts.
 */
public final class OdahuRequest {
  private static final JsonFactory JSON = RequestJson.factory();
  private static final byte[] DATA = "\"data\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] COLUMNS = "\"columns\"".getBytes(StandardCharsets.US_ASCII);

  private OdahuRequest() {}

  /**
   * The model input {@code body} carries. The checks, in order, and their messages follow ODAHU's
   * server: empty body, UTF-8, JSON syntax, an object, a matrix.
   *
   * @throws InvalidInputException if ODAHU could not have called the model with it
   */
  public static PredictionInput parse(byte[] body) {
    PredictionInput common = readCommon(body);
    return common != null ? common : parseAny(body);
  }

  /** As {@link #parse}, always with the JSON parser. */
  static PredictionInput parseAny(byte[] body) {
    if (body.length == 0) {
      throw new InvalidInputException("Please provide data with this POST request");
    }
    checkUtf8(body);
    try {
      JsonStrings.checkSurrogates(body);
      return read(body);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(
          "Can not parse input as JSON: " + RequestJson.describe(e, false));
    } catch (IOException e) {
      throw new InvalidInputException("Can not parse input as JSON: " + e.getMessage());
    }
  }

  /**
   * The body nearly every client sends, read in one pass without a JSON parser: an object whose
   * members are {@code "data"}, a matrix of numbers ({@link JsonRows#scanNumbers}), and optionally
   * {@code "columns"}, an array of strings, in either order, in ASCII with no escapes. Anything
   * else, well-formed or not, gives {@code null} and goes the general way, which gives the same
   * input for these bodies and reports what is wrong with the others. Reading wine's 100-row
   * request and its numbers took the event loop 35 µs the general way and 17 µs this way.
   */
  static PredictionInput readCommon(byte[] body) {
    JsonRows rows = null;
    JsonText columns = null;
    int i = JsonRows.skipSpace(body, 0);
    if (i >= body.length || body[i] != '{') {
      return null;
    }
    i = JsonRows.skipSpace(body, i + 1);
    while (true) {
      int nameEnd = plainStringEnd(body, i);
      if (nameEnd < 0) {
        return null;
      }
      boolean data = isName(body, i, nameEnd, DATA);
      if (!data && !isName(body, i, nameEnd, COLUMNS)) {
        return null;
      }
      i = JsonRows.skipSpace(body, nameEnd);
      if (i >= body.length || body[i] != ':') {
        return null;
      }
      i = JsonRows.skipSpace(body, i + 1);
      int valueEnd;
      if (data) {
        if (rows != null || (rows = JsonRows.scanNumbers(body, i)) == null) {
          return null;
        }
        valueEnd = i + rows.text().length();
      } else {
        valueEnd = plainStringArrayEnd(body, i);
        if (columns != null || valueEnd < 0) {
          return null;
        }
        columns = JsonText.slice(body, i, valueEnd);
      }
      i = JsonRows.skipSpace(body, valueEnd);
      if (i < body.length && body[i] == ',') {
        i = JsonRows.skipSpace(body, i + 1);
      } else if (i < body.length && body[i] == '}') {
        break;
      } else {
        return null;
      }
    }
    if (rows == null || JsonRows.skipSpace(body, i + 1) != body.length) {
      return null;
    }
    return PredictionInput.of(columns, rows);
  }

  private static boolean isName(byte[] body, int from, int to, byte[] name) {
    return Arrays.equals(body, from, to, name, 0, name.length);
  }

  /**
   * The end of the JSON string at {@code body[from]} when it holds printable ASCII only, without
   * escapes; else -1.
   */
  private static int plainStringEnd(byte[] body, int from) {
    if (from >= body.length || body[from] != '"') {
      return -1;
    }
    for (int i = from + 1; i < body.length; i++) {
      byte b = body[i];
      if (b == '"') {
        return i + 1;
      }
      if (b < 0x20 || b == '\\' || b == 0x7f) {
        return -1; // a control character, an escape, or not ASCII (negative)
      }
    }
    return -1;
  }

  /**
   * The end of an array of {@linkplain #plainStringEnd plain strings} at {@code body[from]}; else
   * -1.
   */
  private static int plainStringArrayEnd(byte[] body, int from) {
    if (from >= body.length || body[from] != '[') {
      return -1;
    }
    int i = JsonRows.skipSpace(body, from + 1);
    if (i < body.length && body[i] == ']') {
      return i + 1;
    }
    while (true) {
      int end = plainStringEnd(body, i);
      if (end < 0) {
        return -1;
      }
      i = JsonRows.skipSpace(body, end);
      if (i < body.length && body[i] == ',') {
        i = JsonRows.skipSpace(body, i + 1);
      } else if (i < body.length && body[i] == ']') {
        return i + 1;
      } else {
        return -1;
      }
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
    checkDecodes(body);
    // As ODAHU's server: decoded as UTF-8 (ASCII in UTF-16 or UTF-32 does), then not JSON.
    if (JsonBodies.isWideJson(body)) {
      throw new InvalidInputException("Can not parse input as JSON: " + JsonBodies.WIDE_JSON);
    }
  }

  private static void checkDecodes(byte[] body) {
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
