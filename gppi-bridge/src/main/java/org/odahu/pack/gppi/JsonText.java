package org.odahu.pack.gppi;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One JSON value as a slice of the text it was read from. It reaches the model exactly as the
 * client wrote it, never decoded and re-encoded (ints stay ints, big numbers keep their digits).
 * The text is not copied: callers hand over ownership of {@code source}.
 */
public final class JsonText {
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
