package org.odahu.pack.batch;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a stream into lines at line feeds, handing out each line's bytes without copying. A line
 * may take up to {@link #MAX_LINE_BYTES}: a file without line feeds is not read into memory whole.
 */
final class LineReader {
  /**
   * The longest line: a row, which may take no more than a chunk, {@link ChunkBuilder#MAX_BYTES}.
   */
  static final int MAX_LINE_BYTES = ChunkBuilder.MAX_BYTES;

  /** A line over the reader's bound. */
  static final class TooLongException extends IOException {
    private static final long serialVersionUID = 1L;

    TooLongException(int maxLine) {
      super("longer than " + readable(maxLine) + ", the most a row may take");
    }

    private static String readable(int bytes) {
      return bytes >= 1 << 20 ? (bytes >> 20) + " MiB" : bytes + " bytes";
    }
  }

  private final InputStream in;
  private final int maxLine;
  private byte[] buffer = new byte[1 << 16];
  private int filled;
  private int lineStart;
  private int lineEnd;
  private int next;
  private boolean eof;

  LineReader(InputStream in) {
    this(in, MAX_LINE_BYTES);
  }

  /** A reader of lines up to about {@code maxLine} bytes (a test's smaller bound). */
  LineReader(InputStream in, int maxLine) {
    this.in = in;
    this.maxLine = maxLine;
  }

  /**
   * Moves to the next line; {@code false} at the end of the stream.
   *
   * @throws TooLongException if the line is longer than the bound
   */
  boolean next() throws IOException {
    lineStart = next;
    int scan = next;
    while (true) {
      for (; scan < filled; scan++) {
        if (buffer[scan] == '\n') {
          lineEnd = scan;
          next = scan + 1;
          return true;
        }
      }
      if (eof) {
        lineEnd = filled;
        next = filled;
        return lineEnd > lineStart;
      }
      scan -= lineStart;
      fill();
    }
  }

  /** Moves the current line to the buffer's start and reads more after it. */
  private void fill() throws IOException {
    int kept = filled - lineStart;
    if (lineStart > 0) {
      System.arraycopy(buffer, lineStart, buffer, 0, kept);
    } else if (kept == buffer.length) {
      if (kept >= maxLine) {
        throw new TooLongException(maxLine);
      }
      buffer = Arrays.copyOf(buffer, 2 * buffer.length);
    }
    if (kept < (1 << 16) && buffer.length > (1 << 22)) {
      buffer = Arrays.copyOf(buffer, 1 << 16); // a huge line's memory goes with it
    }
    filled = kept;
    lineStart = 0;
    next = 0;
    int n = in.read(buffer, filled, buffer.length - filled);
    if (n < 0) {
      eof = true;
    } else {
      filled += n;
    }
  }

  /** The buffer holding the current line. */
  byte[] bytes() {
    return buffer;
  }

  /** Where the current line starts in {@link #bytes()}. */
  int start() {
    return lineStart;
  }

  /** Where the current line ends (before its line feed) in {@link #bytes()}. */
  int end() {
    return lineEnd;
  }
}
