package org.odahu.pack.batch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Finds where the records of a line-based file start, by scanning its bytes: a record starts after
 * a line feed, except inside a quoted CSV field (RFC 4180 quoting: {@code "} opens and closes a
 * field, {@code ""} inside it is a quote, so the parity of quotes says whether a line feed ends the
 * record). Blank records (only spaces, tabs and carriage returns) are not rows. Sharding uses it to
 * cut a file at record boundaries, and to number the rows before a shard's first.
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
   * For each of {@code offsets} (ascending), the first record start at or after it, scanning from
   * {@code from}, itself a record start.
   *
   * @param quoted whether line feeds may be quoted (CSV)
   */
  static Boundary[] align(FileChannel channel, long from, boolean quoted, long... offsets)
      throws IOException {
    Boundary[] found = new Boundary[offsets.length];
    int next = 0;
    long rows = 0;
    boolean inQuotes = false;
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
        while (recordStart && next < offsets.length && offsets[next] <= position) {
          found[next++] = new Boundary(position, rows);
        }
        byte b = bytes[i];
        recordStart = false;
        if (b == '\n' && !inQuotes) {
          rows += content ? 1 : 0;
          content = false;
          recordStart = true;
        } else if (b == '"' && quoted) {
          inQuotes = !inQuotes;
          content = true;
        } else if (b != ' ' && b != '\t' && b != '\r') {
          content = true;
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
