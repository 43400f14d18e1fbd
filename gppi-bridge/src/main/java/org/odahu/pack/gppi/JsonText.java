package org.odahu.pack.gppi;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One JSON value as a slice of the text it was read from. It reaches the model exactly as the
 * client wrote it, never decoded and re-encoded (ints stay ints, big numbers keep their digits).
 * The text is not copied: callers hand over ownership of {@code source}.
 */
public final class JsonText {
  private static final JsonFactory JSON = RequestJson.factory();
  private final byte[] source;
  private final int start;
  private final int end;

  private JsonText(byte[] source, int start, int end) {
    if (start < 0 || end < start || end > source.length) {
      throw new IllegalArgumentException(
          "bad slice [" + start + ", " + end + ") of " + source.length + " bytes");
    }
    this.source = source;
    this.start = start;
    this.end = end;
  }

  /** The value {@code source[start .. end)}, UTF-8 JSON text. */
  public static JsonText slice(byte[] source, int start, int end) {
    return new JsonText(source, start, end);
  }

  /** The whole of {@code json}. */
  public static JsonText of(String json) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    return new JsonText(bytes, 0, bytes.length);
  }

  /** Bytes of text. */
  public int length() {
    return end - start;
  }

  /** Whether the text is exactly JSON's {@code null}. */
  public boolean isNull() {
    return length() == 4
        && source[start] == 'n'
        && source[start + 1] == 'u'
        && source[start + 2] == 'l'
        && source[start + 3] == 'l';
  }

  /**
   * The strings of the text when it is a JSON array of strings (column names), else {@code null}.
   */
  public List<String> strings() {
    try (JsonParser parser = JSON.createParser(source, start, end - start)) {
      if (parser.nextToken() != JsonToken.START_ARRAY) {
        return null;
      }
      List<String> strings = new ArrayList<>();
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.VALUE_STRING) {
        strings.add(parser.getText());
      }
      return token == JsonToken.END_ARRAY ? strings : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** Writes the text to {@code out}. */
  public void writeTo(ByteArrayOutputStream out) {
    out.write(source, start, end - start);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof JsonText that
        && Arrays.equals(source, start, end, that.source, that.start, that.end);
  }

  @Override
  public int hashCode() {
    int hash = 1;
    for (int i = start; i < end; i++) {
      hash = 31 * hash + source[i];
    }
    return hash;
  }

  /** The text. */
  @Override
  public String toString() {
    return new String(source, start, end - start, StandardCharsets.UTF_8);
  }
}
