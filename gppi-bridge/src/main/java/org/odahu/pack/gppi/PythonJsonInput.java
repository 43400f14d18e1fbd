package org.odahu.pack.gppi;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Request JSON read as Python's {@code json.loads} reads it, as ODAHU's server (Flask) and MLflow's
 * scoring server did: beyond RFC 8259, {@code NaN}, {@code Infinity} and {@code -Infinity} are
 * numbers (a client's missing value, written by Python's {@code json.dumps}). Jackson, told to read
 * them, also reads {@code +Infinity}, {@code +INF} and {@code -INF}, which Python refuses: so are
 * they here, before the model's worker would fail on them.
 */
public final class PythonJsonInput {
  private static final JsonFactory FACTORY =
      RequestJson.factory(
          new JsonFactoryBuilder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS));

  private PythonJsonInput() {}

  /**
   * A streaming parser of {@code in} that reads {@code NaN}, {@code Infinity} and {@code
   * -Infinity}, but also Jackson's extra literals: check the text of what reaches a model with
   * {@link #parser(byte[], int, int)}.
   */
  public static JsonParser streaming(InputStream in) throws IOException {
    return FACTORY.createParser(in);
  }

  /** A parser of {@code source}. */
  public static JsonParser parser(byte[] source) throws IOException {
    return parser(source, 0, source.length);
  }

  /**
   * A parser of {@code source[offset .. offset + length)}.
   *
   * @throws JsonParseException if the text holds a non-finite literal Python does not read
   */
  public static JsonParser parser(byte[] source, int offset, int length) throws IOException {
    for (int i = offset; i < offset + Math.min(length, 4); i++) {
      // Jackson would take a zero byte in the first four, or FE/FF first, for UTF-16 or UTF-32
      // and read the rest as such; in UTF-8 JSON neither can be there.
      int b = source[i] & 0xFF;
      if (b == 0 || (i == offset && (b == 0xFE || b == 0xFF))) {
        throw new JsonParseException(
            (JsonParser) null,
            "Unexpected byte 0x" + Integer.toHexString(b) + ": JSON text must be UTF-8");
      }
    }
    int refused = foreignLiteral(source, offset, offset + length);
    if (refused >= 0) {
      int end = refused + 1;
      while (end < offset + length && Character.isLetter(source[end])) {
        end++;
      }
      throw new JsonParseException(
          (JsonParser) null,
          "Unrecognized token '"
              + new String(source, refused, end - refused, StandardCharsets.US_ASCII)
              + "': the only non-finite numbers are NaN, Infinity and -Infinity");
    }
    return FACTORY.createParser(source, offset, length);
  }

  /**
   * Where, outside strings, {@code +I} or {@code -IN} starts (Jackson's {@code +Infinity}, {@code
   * +INF}, {@code -INF}: no JSON or Python token starts so); -1 if nowhere.
   */
  static int foreignLiteral(byte[] source, int from, int to) {
    boolean inString = false;
    for (int i = from; i < to; i++) {
      byte b = source[i];
      if (inString) {
        if (b == '\\') {
          i++;
        } else if (b == '"') {
          inString = false;
        }
      } else if (b == '"') {
        inString = true;
      } else if (i + 1 < to && source[i + 1] == 'I') {
        if (b == '+' || (b == '-' && i + 2 < to && source[i + 2] == 'N')) {
          return i;
        }
      }
    }
    return -1;
  }
}
