package org.odahu.pack.batch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Finds where the records of a line-based file start, by scanning its bytes. Without quoting (JSON
 * Lines) a record starts after a line feed. With CSV quoting, as Jackson's CSV parser reads it: a
 * record also ends at a carriage return not followed by a line feed, and a {@code "} at the start
 * of a field (after a record's leading spaces, which Jackson drops) opens a quoted value, in which
 * line breaks are data and {@code ""} is a quote; a {@code "} anywhere else is an ordinary
 * character. Blank records are not rows: only spaces in CSV (Jackson's blank lines; a tab is a
 * value), only spaces, tabs and carriage returns in JSON Lines (JSON's white space). Sharding uses
 * it to cut a file at record boundaries, and to number the rows before a shard's first.
 */
final class RecordScan {
  /**
   * A record boundary.
   *
   * @param offset where the record starts (the file's size at its end)
   * @param rowsBefore non-blank records between the scan's start and {@code offset}
   */
  record Boundary(long offset, long rowsBefore) {}

  private RecordScan() {}

  /**
   * Where the first CSV line with more than spaces starts: Jackson skips the blank lines before the
   * header too, and a byte order mark before them is none of a line's content. At most {@code
   * limit} bytes are read (then {@code limit} is returned).
   */
  static long firstContentLine(FileChannel channel, long limit) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
    long lineStart = 0;
    long position = FileSlices.byteOrderMark(channel);
    while (position < limit) {
      buffer.clear();
      int n = channel.read(buffer, position);
      if (n < 0) {
        return position;
      }
      for (int i = 0; i < n; i++, position++) {
        byte b = buffer.array()[i];
        if (b == '\n' || b == '\r') {
          lineStart = position + 1;
        } else if (b != ' ') {
          return lineStart;
        }
      }
    }
    return limit;
  }

  /**
   * For each of {@code offsets} (ascending), the first record start at or after it, scanning from
   * {@code from}, itself a record start.
   *
   * @param quoted whether the file is CSV (quoted values, lone carriage returns end records)
   */
  static Boundary[] align(FileChannel channel, long from, boolean quoted, long... offsets)
      throws IOException {
    Boundary[] found = new Boundary[offsets.length];
    int next = 0;
    long rows = 0;
    boolean inQuotes = false;
    boolean quoteInQuotes = false; // the value's closing quote, or the first of a "" pair
    boolean fieldStart = true;
    boolean carriageReturn = false; // a record end, unless a line feed follows
    boolean content = false;
    boolean recordStart = true;
    ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
    long position = from;
    while (next < offsets.length) {
      buffer.clear();
      int n = channel.read(buffer, position);
      if (n < 0) {
        break;
      }
      byte[] bytes = buffer.array();
      for (int i = 0; i < n && next < offsets.length; i++, position++) {
        byte b = bytes[i];
        if (carriageReturn) {
          carriageReturn = false;
          if (b != '\n') {
            rows += content ? 1 : 0;
            content = false;
            fieldStart = true;
            recordStart = true;
          }
        }
        while (recordStart && next < offsets.length && offsets[next] <= position) {
          found[next++] = new Boundary(position, rows);
        }
        recordStart = false;
        if (inQuotes) {
          if (quoteInQuotes) {
            quoteInQuotes = false;
            if (b == '"') {
              continue; // "" is a quote
            }
            inQuotes = false; // the value is closed: b is read as outside quotes
          } else {
            quoteInQuotes = b == '"';
            continue;
          }
        }
        if (b == '\n') {
          rows += content ? 1 : 0;
          content = false;
          fieldStart = true;
          recordStart = true;
        } else if (b == '\r' && quoted) {
          carriageReturn = true;
        } else {
          if (b == '"' && quoted && fieldStart) {
            inQuotes = true;
          }
          // Jackson drops a CSV record's leading spaces: a quote after them opens a value.
          fieldStart = b == ',' || (quoted && b == ' ' && !content && fieldStart);
          content |= quoted ? b != ' ' : b != ' ' && b != '\t' && b != '\r';
        }
      }
    }
    long total = rows + (content ? 1 : 0);
    while (next < offsets.length) {
      found[next++] = new Boundary(position, total);
    }
    return found;
  }
}
