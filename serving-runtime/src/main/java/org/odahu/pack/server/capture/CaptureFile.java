package org.odahu.pack.server.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One JSON-lines file being appended to. Lines wait in a buffer until {@link #write()}; the file
 * only ever grows by whole lines: when a write fails part-way (a full disk, a file size limit) the
 * lines that reached the disk whole are kept, the file is cut back to the end of the last of them,
 * and the rest are lost. Each line's receipt is settled by the write that decides its fate.
 *
 * <p>The file may be changed from outside while open: cut to a shorter length (logrotate's {@code
 * copytruncate}), writes go on at its new end instead of leaving a hole of NUL bytes; deleted or
 * replaced (its directory removed), {@link #atPath()} says so, for the sink to open a new one.
 */
final class CaptureFile {
  private final CaptureLayout.Place place;
  private final Path path;
  private final FileChannel channel;

  /** The identity of the file opened (device and inode), or null where the platform has none. */
  private final Object fileKey;

  private static final int INITIAL_BUFFER = 1 << 16;

  /** A buffer grown beyond this by a large record goes back to its initial size once written. */
  private static final int MAX_KEPT_BUFFER = 1 << 20;

  /** The sink's direct buffer that lines are written through; used by its one thread only. */
  private final ByteBuffer chunk;

  private byte[] buffer = new byte[INITIAL_BUFFER];
  private int buffered;
  private final List<Integer> lineEnds = new ArrayList<>();
  private final List<CaptureSink.Receipt> receipts = new ArrayList<>();

  /** Bytes of whole lines on disk: the file's size whenever no write is in progress. */
  private long size;

  /** Set when a failed write could not be cut back: nothing is appended until it is. */
  private boolean damaged;

  /**
   * Creates the file of {@code index} in {@code place}, which must not exist, to be written through
   * {@code chunk} (a direct buffer the sink's files share).
   */
  CaptureFile(CaptureLayout.Place place, int index, ByteBuffer chunk) throws IOException {
    this.place = place;
    this.chunk = chunk;
    this.path = place.file(index);
    this.channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    Object key;
    try {
      key =
          Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
              .fileKey();
    } catch (IOException e) {
      channel.close();
      throw e;
    }
    this.fileKey = key;
  }

  Path path() {
    return path;
  }

  CaptureLayout.Place place() {
    return place;
  }

  String hour() {
    return place.hourPrefix();
  }

  /**
   * Whether the file opened is still the one at its path: false once it was deleted, or its path
   * now names another file. Writes to a deleted file would be counted as stored and never read.
   */
  boolean atPath() {
    if (fileKey == null) {
      return true;
    }
    try {
      return fileKey.equals(
          Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
              .fileKey());
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException e) {
      return true; // cannot tell: the write will say whether the file is usable
    }
  }

  /** Moves the buffered lines and their receipts, unwritten, to {@code other}. */
  void moveBufferedTo(CaptureFile other) {
    int start = 0;
    for (int i = 0; i < lineEnds.size(); i++) {
      int end = lineEnds.get(i);
      other.append(Arrays.copyOfRange(buffer, start, end), receipts.get(i));
      start = end;
    }
    clearBuffer();
  }

  /** Loses the buffered lines, settling their receipts with {@code reason}. */
  void loseBuffered(String reason) {
    receipts.forEach(receipt -> receipt.lost(reason));
    clearBuffer();
  }

  private void clearBuffer() {
    buffered = 0;
    lineEnds.clear();
    receipts.clear();
    if (buffer.length > MAX_KEPT_BUFFER) {
      buffer = new byte[INITIAL_BUFFER]; // a large record's room is not kept for the hour
    }
  }

  /** The buffer's size now, for tests. */
  int bufferCapacity() {
    return buffer.length;
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
    if (failure == null) {
      failure = followTruncation();
    }
    long reached = 0;
    if (failure == null) {
      // Through the sink's small direct buffer, a chunk at a time: a heap buffer handed to the
      // channel is copied into a JDK temporary direct buffer of its whole size, which the thread
      // then keeps for its life (hundreds of MB after one large record).
      int offset = 0;
      try {
        while (offset < buffered) {
          int length = Math.min(chunk.capacity(), buffered - offset);
          chunk.clear().put(buffer, offset, length).flip();
          while (chunk.hasRemaining()) {
            channel.write(chunk, size + offset + chunk.position());
          }
          offset += length;
        }
      } catch (IOException e) {
        failure = e;
      }
      reached = (long) offset + (failure == null ? 0 : chunk.position());
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
    clearBuffer();
    return failure;
  }

  /**
   * When the file was cut shorter from outside (logrotate's {@code copytruncate}), writes go on at
   * its end: at the remembered offset they would leave a hole of NUL bytes before the next line.
   */
  private IOException followTruncation() {
    try {
      long actual = channel.size();
      if (actual < size) {
        size = actual;
      }
      return null;
    } catch (IOException e) {
      return e;
    }
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
