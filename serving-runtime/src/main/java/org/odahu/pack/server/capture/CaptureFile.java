package org.odahu.pack.server.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One JSON-lines file being appended to. Lines wait in a buffer until {@link #write()}; the file
 * only ever grows by whole lines: when a write fails part-way (a full disk, a file size limit) the
 * lines that reached the disk whole are kept, the file is cut back to the end of the last of them,
 * and the rest are lost. Each line's receipt is settled by the write that decides its fate.
 */
final class CaptureFile {
  private final Path path;
  private final String hour;
  private final FileChannel channel;
  private byte[] buffer = new byte[1 << 16];
  private int buffered;
  private final List<Integer> lineEnds = new ArrayList<>();
  private final List<CaptureSink.Receipt> receipts = new ArrayList<>();

  /** Bytes of whole lines on disk: the file's size whenever no write is in progress. */
  private long size;

  /** Set when a failed write could not be cut back: nothing is appended until it is. */
  private boolean damaged;

  /** Creates {@code path}, which must not exist, for the records of {@code hour}. */
  CaptureFile(Path path, String hour) throws IOException {
    this.path = path;
    this.hour = hour;
    this.channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
  }

  Path path() {
    return path;
  }

  String hour() {
    return hour;
  }

  int buffered() {
    return buffered;
  }

  /** Adds one whole line ({@code \n}-terminated) to the buffer. */
  void append(byte[] line, CaptureSink.Receipt receipt) {
    if (buffered + line.length > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, buffered + line.length));
    }
    System.arraycopy(line, 0, buffer, buffered, line.length);
    buffered += line.length;
    lineEnds.add(buffered);
    receipts.add(receipt);
  }

  /**
   * Writes the buffered lines and settles their receipts.
   *
   * @return the failure that lost lines, or {@code null} when every line was written
   */
  IOException write() {
    if (buffered == 0) {
      return null;
    }
    IOException failure = damaged ? cutBack() : null;
    long reached = 0;
    if (failure == null) {
      ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, buffered);
      try {
        while (bytes.hasRemaining()) {
          channel.write(bytes, size + bytes.position());
        }
      } catch (IOException e) {
        failure = e;
      }
      reached = bytes.position();
    }
    int whole = 0;
    while (whole < lineEnds.size() && lineEnds.get(whole) <= reached) {
      whole++;
    }
    long kept = whole == 0 ? 0 : lineEnds.get(whole - 1);
    size += kept;
    if (failure != null && reached > kept) {
      damaged = true;
      IOException cut = cutBack();
      if (cut != null) {
        failure.addSuppressed(cut);
      }
    }
    String reason = failure == null ? null : failure.toString();
    for (int i = 0; i < receipts.size(); i++) {
      if (i < whole) {
        receipts.get(i).stored();
      } else {
        receipts.get(i).lost("cannot write " + path + ": " + reason);
      }
    }
    buffered = 0;
    lineEnds.clear();
    receipts.clear();
    return failure;
  }

  /** Cuts the file back to its whole lines; returns the failure if it cannot. */
  private IOException cutBack() {
    try {
      channel.truncate(size);
      damaged = false;
      return null;
    } catch (IOException e) {
      return e;
    }
  }

  /** Writes what is buffered, then closes the file; returns the failure that lost lines, if any. */
  IOException close() {
    IOException failure = write();
    if (damaged) {
      IOException cut = cutBack();
      if (cut != null && failure == null) {
        failure = cut;
      }
    }
    try {
      channel.close();
    } catch (IOException e) {
      if (failure == null) {
        failure = e;
      }
    }
    return failure;
  }
}
