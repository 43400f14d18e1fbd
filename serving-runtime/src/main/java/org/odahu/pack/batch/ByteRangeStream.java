package org.odahu.pack.batch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Bytes {@code [from, to)} of a file as a stream, counting what was read (for progress). */
final class ByteRangeStream extends InputStream {
  private final FileChannel channel;
  private final long from;
  private final long to;
  private long position;

  ByteRangeStream(FileChannel channel, long from, long to) {
    this.channel = channel;
    this.from = from;
    this.to = to;
    this.position = from;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (position >= to) {
      return -1;
    }
    int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, to - position)), position);
    if (n > 0) {
      position += n;
    }
    return n;
  }

  /** Bytes read so far. */
  long bytesRead() {
    return position - from;
  }

  /** Bytes in the range. */
  long length() {
    return to - from;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
