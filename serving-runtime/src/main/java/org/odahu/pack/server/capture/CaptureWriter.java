package org.odahu.pack.server.capture;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.odahu.pack.logging.RateLimitedLog;
import org.odahu.pack.server.writer.QueueWriter;

/**
 * The one bounded asynchronous writer in front of a {@link CaptureSink}: {@link #offer} and {@link
 * #store} put a record on a bounded queue and return at once; one thread hands queued records to
 * the sink and flushes it after each batch. Counts are exact: every record offered is eventually
 * {@link #written()} (the sink stored it) or {@link #dropped()} (the queue refused it or the sink
 * lost it). {@link #close} waits until every queued record is written or dropped.
 */
public final class CaptureWriter implements Capture {
  private static final System.Logger LOG = System.getLogger(CaptureWriter.class.getName());

  private final CaptureSink sink;

  /** A sink that throws is a bug, and may do so for every record: once a minute at most. */
  private final RateLimitedLog sinkFailures = new RateLimitedLog(LOG, 60, TimeUnit.SECONDS);

  /**
   * Records the queue refuses (the disk or store not keeping up with the requests): said at once,
   * then at most every 10 s with how many more, so that an operator without metrics learns of it.
   */
  private final RateLimitedLog queueDrops = new RateLimitedLog(LOG, 10, TimeUnit.SECONDS);

  private final QueueWriter<Queued> queue;
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final long maxQueuedBytes;

  /**
   * Starts the writer thread in front of {@code sink}, with at most {@code capacity} records
   * waiting, holding at most an eighth of the heap: records carry whole bodies (up to the largest
   * request and its answer), so a count alone would let a stalled disk fill the heap.
   */
  public CaptureWriter(CaptureSink sink, int capacity) {
    this(sink, capacity, Runtime.getRuntime().maxMemory() / 8);
  }

  /** As {@link #CaptureWriter(CaptureSink, int)}, holding at most {@code maxQueuedBytes}. */
  CaptureWriter(CaptureSink sink, int capacity, long maxQueuedBytes) {
    this.sink = sink;
    this.maxQueuedBytes = maxQueuedBytes;
    this.queue =
        new QueueWriter<>(
            "odahu-capture",
            capacity,
            sink.flushInterval(),
            new QueueWriter.Handler<>() {
              @Override
              public void write(List<Queued> batch) {
                batch.forEach(CaptureWriter.this::hand);
                sink.flush();
              }

              @Override
              public void idle() {
                sink.flush();
              }

              @Override
              public void finish() {
                sink.close();
              }
            });
  }

  @Override
  public boolean enabled() {
    return true;
  }

  @Override
  public boolean offer(CaptureRecord record) {
    return enqueue(new Queued(record, new Entry(record.heldBytes(), false)));
  }

  @Override
  public CompletionStage<Void> store(CaptureRecord record) {
    Entry entry = new Entry(record.heldBytes(), true);
    enqueue(new Queued(record, entry));
    return entry.done.copy();
  }

  private boolean enqueue(Queued queued) {
    Entry entry = queued.receipt();
    if (queuedBytes.addAndGet(entry.bytes) > maxQueuedBytes) {
      queuedBytes.addAndGet(-entry.bytes);
      return refused(
          entry,
          "the capture queue holds "
              + (maxQueuedBytes >> 20)
              + " MiB of records already; the disk or store is not keeping up");
    }
    if (queue.offer(queued)) {
      return true;
    }
    queuedBytes.addAndGet(-entry.bytes);
    return refused(entry, "the capture queue is full or closed");
  }

  private boolean refused(Entry entry, String reason) {
    entry.lost(reason);
    queueDrops.warn(
        "Capture record dropped: "
            + reason
            + " (--capture-queue-size; odahu_capture_dropped_records_total counts them)");
    return false;
  }

  /**
   * Gives one record to the sink; a sink that throws loses the record, not the writer. Only the
   * receipt goes on with the sink: the record is not referenced once the sink is done with it.
   */
  private void hand(Queued queued) {
    Entry entry = queued.receipt();
    queuedBytes.addAndGet(-entry.bytes);
    try {
      sink.accept(queued.record(), entry);
    } catch (RuntimeException | Error e) {
      // An Error too (one record too big for the heap): the batch's other records go on.
      entry.lost(e.toString());
      sinkFailures.log(
          System.Logger.Level.ERROR, "Capture record dropped: the sink failed on it: " + e);
    }
  }

  @Override
  public int depth() {
    return queue.depth();
  }

  @Override
  public long written() {
    return written.get();
  }

  @Override
  public long dropped() {
    return dropped.get();
  }

  @Override
  public long heldBytes() {
    return sink.heldBytes();
  }

  /** Stops taking records, hands every queued one to the sink and closes it. */
  @Override
  public void close() {
    close(Duration.ofSeconds(30));
  }

  /** As {@link #close()}, waiting at most {@code wait}. */
  public void close(Duration wait) {
    if (!queue.close(wait)) {
      LOG.log(
          System.Logger.Level.WARNING,
          "Capture: {0} record(s) still queued after {1} s; the disk is not keeping up",
          queue.depth(),
          wait.toSeconds());
    }
  }

  /** One record waiting in the queue, and its receipt. */
  private record Queued(CaptureRecord record, Entry receipt) {}

  /**
   * One record's receipt, settled once. It holds no reference to the record: a sink keeps receipts
   * until the record is stored (an object store's upload buffer, for minutes while the store is
   * down), and only the serialised line is counted against the sink's bound.
   */
  private final class Entry implements CaptureSink.Receipt {
    final CompletableFuture<Void> done = new CompletableFuture<>();
    private final boolean awaited;
    private final AtomicBoolean settled = new AtomicBoolean();

    /** What the queued record held, counted against the queue's bound until the sink takes it. */
    final long bytes;

    Entry(long bytes, boolean awaited) {
      this.bytes = bytes;
      this.awaited = awaited;
    }

    @Override
    public boolean awaited() {
      return awaited;
    }

    @Override
    public void stored() {
      if (settled.compareAndSet(false, true)) {
        written.incrementAndGet();
        done.complete(null);
      }
    }

    @Override
    public void lost(String reason) {
      if (settled.compareAndSet(false, true)) {
        dropped.incrementAndGet();
        done.completeExceptionally(
            new CaptureUnavailableException("Capture record not stored: " + reason));
      }
    }
  }
}
