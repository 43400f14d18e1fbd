package org.odahu.pack.server.capture.s3;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.odahu.pack.server.capture.CaptureSink.Receipt;

/**
 * One object being gathered, then uploaded: whole JSON lines and their receipts. Filled on the
 * capture writer's thread only; once sealed, only {@link BatchUploader} touches it, and {@link
 * #settle} lets exactly one outcome through.
 */
final class CaptureBatch {
  private final String key;
  private final long openedNanos;
  private byte[] bytes = new byte[1 << 12];
  private int size;
  private final List<Receipt> receipts = new ArrayList<>();
  private boolean awaited;
  private final AtomicBoolean settled = new AtomicBoolean();
  private int attempts;

  /** The pending retry, so that closing can run it at once; written by upload threads. */
  private volatile Future<?> retry;

  CaptureBatch(String key, long openedNanos) {
    this.key = key;
    this.openedNanos = openedNanos;
  }

  String key() {
    return key;
  }

  long openedNanos() {
    return openedNanos;
  }

  int size() {
    return size;
  }

  int records() {
    return receipts.size();
  }

  /** Whether a record in it is waited for: then it is uploaded on the next flush. */
  boolean awaited() {
    return awaited;
  }

  /** Adds one whole line ({@code \n}-terminated) and its receipt. */
  void append(byte[] line, Receipt receipt) {
    if (size + line.length > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + line.length));
    }
    System.arraycopy(line, 0, bytes, size, line.length);
    size += line.length;
    receipts.add(receipt);
    awaited |= receipt.awaited();
  }

  /** The object's content; only called once sealed. */
  byte[] content() {
    if (bytes.length != size) {
      bytes = Arrays.copyOf(bytes, size);
    }
    return bytes;
  }

  /** Counts an attempt and returns its number, 1 for the first. */
  int nextAttempt() {
    return ++attempts;
  }

  Future<?> retry() {
    return retry;
  }

  void retry(Future<?> retry) {
    this.retry = retry;
  }

  /**
   * Settles every receipt: stored when {@code lostReason} is {@code null}, else lost.
   *
   * @return false when the batch was settled before, and nothing happened
   */
  boolean settle(String lostReason) {
    if (!settled.compareAndSet(false, true)) {
      return false;
    }
    for (Receipt receipt : receipts) {
      if (lostReason == null) {
        receipt.stored();
      } else {
        receipt.lost(lostReason);
      }
    }
    return true;
  }

  boolean settled() {
    return settled.get();
  }
}
