package org.odahu.pack.gppi;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The rows of a prediction matrix as slices of the client's own JSON text. Rows are never decoded
 * and re-encoded on the way to the model, so every value reaches Python exactly as the client wrote
 * it (ints stay ints, big numbers keep their digits).
 */
public final class JsonRows {
  private final byte[] source;
  private final int[] bounds;
  private final int count;
  private final int width;

  private JsonRows(byte[] source, int[] bounds, int count, int width) {
    this.source = source;
    this.bounds = bounds;
    this.count = count;
    this.width = width;
  }

  /**
   * Rows {@code source[bounds[2i] .. bounds[2i+1])}, each a JSON array of {@code width} values. The
   * arrays are not copied: callers hand over ownership.
   */
  static JsonRows wrap(byte[] source, int[] bounds, int count, int width) {
    return new JsonRows(source, bounds, count, width);
  }

  /** Number of rows. */
  public int count() {
    return count;
  }

  /** Number of values in every row. */
  public int width() {
    return width;
  }

  /** Writes row {@code index}'s JSON text to {@code out}. */
  public void writeRow(int index, ByteArrayOutputStream out) {
    int start = bounds[2 * index];
    out.write(source, start, bounds[2 * index + 1] - start);
  }

  /** Row {@code index}'s JSON text. */
  public String row(int index) {
    int start = bounds[2 * index];
    return new String(source, start, bounds[2 * index + 1] - start, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "JsonRows[" + count + " x " + width + "]";
  }
}
