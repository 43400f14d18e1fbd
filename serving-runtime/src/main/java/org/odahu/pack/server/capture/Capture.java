package org.odahu.pack.server.capture;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Request/response and feedback capture as the server uses it: records go to a {@link CaptureSink}
 * through one bounded queue, and the request path never waits for the sink. Capture that is off is
 * {@link #disabled()}, never {@code null}.
 */
public interface Capture extends AutoCloseable {

  /** Whether records are kept; when not, callers need not build them. */
  boolean enabled();

  /**
   * Queues a record without waiting (fire and forget, for invoke records); false, and counted as
   * dropped, when it cannot be queued.
   */
  boolean offer(CaptureRecord record);

  /**
   * Queues a record and completes once the sink has stored it (for feedback, which may be
   * acknowledged only then); fails with {@link CaptureUnavailableException} when it cannot be
   * queued or the sink loses it.
   */
  CompletionStage<Void> store(CaptureRecord record);

  /** Records waiting in the queue. */
  int depth();

  /** Records the sink stored. */
  long written();

  /** Records not stored: refused by a full or closed queue, or lost by the sink. */
  long dropped();

  /** Bytes of records the sink took but has not stored yet (waiting for object storage). */
  default long heldBytes() {
    return 0;
  }

  /** Stops taking records and waits until every queued one is stored or lost. */
  @Override
  void close();

  /**
   * Records in ODAHU's file layout under {@code root}, with at most {@code capacity} waiting.
   *
   * @throws UncheckedIOException when {@code root} cannot be created or written to: the server
   *     should not start then, rather than drop every record
   */
  static Capture toDirectory(Path root, int capacity) {
    FileCaptureSink.checkWritable(root);
    return new CaptureWriter(new FileCaptureSink(root), capacity);
  }

  /** Capture that is off: nothing is kept, nothing is counted, {@link #store} always fails. */
  static Capture disabled() {
    return Disabled.INSTANCE;
  }

  /** The one form of capture that is off; stateless. */
  enum Disabled implements Capture {
    INSTANCE;

    @Override
    public boolean enabled() {
      return false;
    }

    @Override
    public boolean offer(CaptureRecord record) {
      return false;
    }

    @Override
    public CompletionStage<Void> store(CaptureRecord record) {
      return CompletableFuture.failedFuture(new CaptureUnavailableException("capture is off"));
    }

    @Override
    public int depth() {
      return 0;
    }

    @Override
    public long written() {
      return 0;
    }

    @Override
    public long dropped() {
      return 0;
    }

    @Override
    public void close() {}
  }
}
