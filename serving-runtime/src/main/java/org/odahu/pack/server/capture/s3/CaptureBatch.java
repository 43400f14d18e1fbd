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

  /** The smallest array a batch starts with. */
  private static final int MIN_CAPACITY = 1 << 12;

  private byte[] bytes = new byte[0];
  private int size;

  /** Bytes of memory charged to the upload buffer for this batch: its array's capacity. */
  private long charged;

  private final List<Receipt> receipts = new ArrayList<>();
  private boolean awaited;
  private final AtomicBoolean settled = new AtomicBoolean();
  private int attempts;
  private long firstAttemptNanos;

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

  /**
   * The bytes of memory adding a line of {@code length} to {@code batch} ({@code null}: a new one)
   * takes: what its array grows by, zero when the line fits. To be reserved before {@link #append}
   * with the same {@code limit}.
   */
  static int growth(CaptureBatch batch, int length, long limit) {
    int current = batch == null ? 0 : batch.bytes.length;
    int size = batch == null ? 0 : batch.size;
    return capacityFor(current, size, length, limit) - current;
  }

  /** Doubling, but to no more than {@code limit} unless the line needs more. */
  private static int capacityFor(int current, int size, int length, long limit) {
    long needed = (long) size + length;
    if (needed <= current) {
      return current;
    }
    long grown = Math.max(Math.max(2L * current, MIN_CAPACITY), needed);
    return (int) Math.min(grown, Math.max(limit, needed));
  }

  /** The bytes charged for this batch so far: its array's capacity. */
  long charged() {
    return charged;
  }

  /**
   * Adds one whole line ({@code \n}-terminated) and its receipt, growing the array by {@link
   * #growth} with the same {@code limit}.
   */
  void append(byte[] line, Receipt receipt, long limit) {
    int capacity = capacityFor(bytes.length, size, line.length, limit);
    if (capacity > bytes.length) {
      charged += capacity - bytes.length;
      bytes = Arrays.copyOf(bytes, capacity);
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

  /** Counts an attempt, started at {@code nanos}, and returns its number, 1 for the first. */
  int nextAttempt(long nanos) {
    if (attempts == 0) {
      firstAttemptNanos = nanos;
    }
    return ++attempts;
  }

  /** When the first attempt started. */
  long firstAttemptNanos() {
    return firstAttemptNanos;
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
