package org.odahu.pack.batch;

import java.util.Arrays;
import org.odahu.pack.gppi.JsonRows;
import org.odahu.pack.gppi.JsonText;
import org.odahu.pack.gppi.PredictionInput;

/**
 * Collects rows, each one JSON value as text, into {@link Chunk}s of at most {@code maxRows} rows:
 * {@code [row,row,...]}, the rows' text as the input file has it (or as a reader converted it). The
 * readers have parsed every row, so a chunk's text is not parsed again here.
 */
final class ChunkBuilder {
  /**
   * The most a row may take: far from the 2 GiB an array can hold, where the sizes overflowed.
   * (Frames to batch workers themselves may take up to 2 GiB, {@link BatchRunner#MAX_FRAME_BYTES}.)
   */
  static final int MAX_BYTES = 256 << 20;

  /**
   * A chunk is full once its rows take this much, whatever their number: a 32nd of the heap (32 MiB
   * in the launcher's 1 GiB), at least 1 MiB and at most {@link #MAX_BYTES}. A chunk is held in
   * Java arrays several times over (built in one, copied into another, framed for its worker, its
   * answer) while the next ones are read, and {@link ChunkPipeline} keeps at most an eighth of the
   * heap in chunks waiting for their answers: wide rows cannot take the heap, whatever their
   * number.
   */
  static final int CHUNK_BYTES = chunkBytes(Runtime.getRuntime().maxMemory());

  static int chunkBytes(long heapBytes) {
    return (int) Math.max(1 << 20, Math.min(MAX_BYTES, heapBytes / 32));
  }

  private final int maxRows;
  private final JsonText columns;
  private byte[] buffer = new byte[1 << 16];
  private int length;
  private int[] bounds = new int[64];
  private int rows;
  private int width;
  private long nextRow;
  private long sequence;

  /**
   * @param maxRows the most rows of one chunk
   * @param columns the column names every chunk carries ({@code null}: none)
   * @param firstRow the input row number of the first row that will be added
   */
  ChunkBuilder(int maxRows, JsonText columns, long firstRow) {
    if (maxRows < 1) {
      throw new IllegalArgumentException("maxRows must be at least 1, got " + maxRows);
    }
    this.maxRows = maxRows;
    this.columns = columns;
    this.nextRow = firstRow;
  }

  /**
   * Adds one row: {@code text[from .. to)}, a well-formed JSON array of {@code width} values (the
   * chunk is not read again on its way to the model).
   */
  void add(byte[] text, int from, int to, int width) {
    beginRow();
    append(text, from, to);
    endRow(width);
  }

  /** Starts a row whose text the next {@link #append} calls give, up to {@link #endRow}. */
  void beginRow() {
    ensure(1);
    buffer[length++] = (byte) (rows == 0 ? '[' : ',');
    if (2 * rows + 2 > bounds.length) {
      bounds = Arrays.copyOf(bounds, bounds.length * 2);
    }
    bounds[2 * rows] = length;
  }

  /** Appends {@code text[from .. to)} to the row being built. */
  void append(byte[] text, int from, int to) {
    int size = to - from;
    ensure(size);
    System.arraycopy(text, from, buffer, length, size);
    length += size;
  }

  /** Appends one byte to the row being built. */
  void append(byte b) {
    ensure(1);
    buffer[length++] = b;
  }

  /** Ends the row being built, a well-formed JSON array of {@code width} values. */
  void endRow(int width) {
    bounds[2 * rows + 1] = length;
    this.width = rows == 0 || this.width == width ? width : -1;
    rows++;
  }

  /** Whether the chunk has its {@code maxRows} rows, or {@link #CHUNK_BYTES} of them. */
  boolean isFull() {
    return rows >= maxRows || length >= CHUNK_BYTES;
  }

  /** The rows added so far as a chunk, and starts the next one; {@code null} if there are none. */
  Chunk take() {
    if (rows == 0) {
      return null;
    }
    ensure(1);
    buffer[length++] = ']';
    byte[] data = Arrays.copyOf(buffer, length);
    Chunk chunk = chunk(sequence++, nextRow, columns, data, Arrays.copyOf(bounds, 2 * rows), width);
    nextRow += rows;
    rows = 0;
    length = 0;
    if (buffer.length > (1 << 22) && buffer.length > 4 * data.length) {
      buffer = new byte[1 << 16]; // one huge row must not pin its memory for the whole file
    }
    return chunk;
  }

  /**
   * A chunk of {@code data}, the JSON array of its rows, whose row texts are at {@code bounds},
   * each row parsed by its reader already: a well-formed JSON value, and an array of {@code width}
   * values in every row unless {@code width} is -1.
   */
  static Chunk chunk(
      long sequence, long firstRow, JsonText columns, byte[] data, int[] bounds, int width) {
    int rows = bounds.length / 2;
    PredictionInput input = PredictionInput.of(columns, JsonRows.ofRows(data, bounds, rows, width));
    return new Chunk(sequence, firstRow, input, data, bounds);
  }

  private void ensure(int more) {
    if (length + more > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
    }
  }
}
