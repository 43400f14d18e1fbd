package org.odahu.pack.server.capture;

import java.time.Duration;

/**
 * Where capture records finally go: files in ODAHU's layout ({@link FileCaptureSink}), object
 * storage next. A sink sits behind the one {@link CaptureWriter}, whose thread is the only caller,
 * so a sink needs no locking of its own.
 *
 * <p>A sink may hold records back, to write them together or to gather many into one object, but
 * must settle every record's {@link Receipt} exactly once: {@link Receipt#stored()} once the record
 * is where it will be read and survives the server being killed, {@link Receipt#lost} when it never
 * will be. It may settle later and from another thread (after an upload and its retries, say);
 * {@link #close()} settles whatever is left. Metrics and feedback answers are built on receipts.
 */
public interface CaptureSink extends AutoCloseable {

  /** What a sink reports about one record. Both methods are cheap and never block. */
  interface Receipt {
    /** The record is stored. */
    void stored();

    /** The record will never be stored; {@code reason} is for the log. */
    void lost(String reason);

    /**
     * Whether a caller waits for this receipt ({@link Capture#store}, feedback that is answered
     * only once stored): a sink that holds records back should store this one on the next {@link
     * #flush()} instead of waiting for a fuller or older batch.
     */
    default boolean awaited() {
      return false;
    }
  }

  /** Takes one record; its receipt is settled now or later. */
  void accept(CaptureRecord record, Receipt receipt);

  /**
   * Called when the writer has no more records for now (after each batch, and after every {@link
   * #flushInterval()} of quiet): store what is held back, as far as the sink's policy allows (a
   * file sink writes everything; an object sink may wait for a fuller or older batch).
   */
  void flush();

  /**
   * How long the writer may leave the sink without a {@link #flush()} while no records arrive, for
   * sinks that hold records back by age; zero (the default) for sinks that store on every flush.
   */
  default Duration flushInterval() {
    return Duration.ZERO;
  }

  /**
   * Bytes of records taken but not stored yet (an object sink's upload buffer); zero (the default)
   * for sinks that store what they take. Read from any thread, for a gauge.
   */
  default long heldBytes() {
    return 0;
  }

  /** Stores or gives up every record held back, settling every receipt, and releases resources. */
  @Override
  void close();
}
