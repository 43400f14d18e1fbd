package org.odahu.pack.artifact.archive;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * A ZIP's central directory records counted before commons-compress loads them all into memory: a
 * 94 MB ZIP of two million 47-byte records, all pointing at one file, took 760 MB of heap before
 * the first entry could be counted. The records are counted as commons-compress reads them (from
 * where the end record, or its zip64 record when there is one, says the directory starts, one after
 * another while their signature matches), not taken from the declared count, which may lie.
 */
final class ZipDirectory {
  private static final int END_SIGNATURE = 0x06054b50;
  private static final int ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
  private static final int ZIP64_END_SIGNATURE = 0x06064b50;
  private static final int RECORD_SIGNATURE = 0x02014b50;
  private static final int END_SIZE = 22;
  private static final int ZIP64_LOCATOR_SIZE = 20;
  private static final int ZIP64_END_SIZE = 56;
  private static final int RECORD_SIZE = 46;
  private static final int MAX_COMMENT = 0xffff;

  private ZipDirectory() {}

  /**
   * The central directory records of {@code zip}, counted up to {@code limit} + 1; -1 when it has
   * no end record (commons-compress then says what is wrong).
   */
  static long records(Path zip, long limit) throws IOException {
    try (FileChannel channel = FileChannel.open(zip)) {
      long size = channel.size();
      long start = directoryStart(channel, size);
      if (start < 0) {
        return -1;
      }
      long count = 0;
      long at = start;
      while (count <= limit && at >= 0 && at + RECORD_SIZE <= size) {
        ByteBuffer record = read(channel, at, RECORD_SIZE);
        if (record.getInt(0) != RECORD_SIGNATURE) {
          break;
        }
        at +=
            RECORD_SIZE
                + (record.getShort(28) & 0xffff) // name
                + (record.getShort(30) & 0xffff) // extra field
                + (record.getShort(32) & 0xffff); // comment
        count++;
      }
      return count;
    }
  }

  /** Where the central directory starts, or -1 without an end record. */
  private static long directoryStart(FileChannel channel, long size) throws IOException {
    int tail = (int) Math.min(size, END_SIZE + MAX_COMMENT + ZIP64_LOCATOR_SIZE);
    ByteBuffer bytes = read(channel, size - tail, tail);
    for (int end = tail - END_SIZE; end >= 0; end--) {
      if (bytes.getInt(end) != END_SIGNATURE) {
        continue;
      }
      int locator = end - ZIP64_LOCATOR_SIZE;
      if (locator >= 0 && bytes.getInt(locator) == ZIP64_LOCATOR_SIGNATURE) {
        long record = bytes.getLong(locator + 8);
        if (record >= 0 && record + ZIP64_END_SIZE <= size) {
          ByteBuffer zip64 = read(channel, record, ZIP64_END_SIZE);
          if (zip64.getInt(0) == ZIP64_END_SIGNATURE) {
            return zip64.getLong(48);
          }
        }
      }
      return bytes.getInt(end + 16) & 0xffffffffL;
    }
    return -1;
  }

  private static ByteBuffer read(FileChannel channel, long from, int length) throws IOException {
    ByteBuffer bytes = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    while (bytes.hasRemaining() && channel.read(bytes, from + bytes.position()) >= 0) {
      // until full, or the end of the file
    }
    return bytes;
  }
}
