package org.odahu.pack.batch;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Reads byte ranges of a file by position, e.g. the text of values a parser found. */
final class FileSlices {
  private FileSlices() {}

  /**
   * Reads {@code [from, to)} of {@code channel} into {@code target} at {@code offset}.
   *
   * @throws EOFException if the file ends first
   */
  static void read(FileChannel channel, long from, long to, byte[] target, int offset)
      throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(target, offset, (int) (to - from));
    long position = from;
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, position);
      if (n < 0) {
        throw new EOFException("the file ended at " + position + ", before " + to);
      }
      position += n;
    }
  }

  /** {@code [from, to)} of {@code channel} as a new array. */
  static byte[] read(FileChannel channel, long from, long to) throws IOException {
    byte[] bytes = new byte[Math.toIntExact(to - from)];
    read(channel, from, to, bytes, 0);
    return bytes;
  }

  /** The length of the UTF-8 byte order mark {@code channel}'s file starts with: 3, or 0. */
  static long byteOrderMark(FileChannel channel) throws IOException {
    return channel.size() < 3 ? 0 : byteOrderMark(read(channel, 0, 3));
  }

  /** The length of the UTF-8 byte order mark {@code bytes} start with: 3, or 0. */
  static int byteOrderMark(byte[] bytes) {
    return bytes.length >= 3
            && bytes[0] == (byte) 0xEF
            && bytes[1] == (byte) 0xBB
            && bytes[2] == (byte) 0xBF
        ? 3
        : 0;
  }
}
