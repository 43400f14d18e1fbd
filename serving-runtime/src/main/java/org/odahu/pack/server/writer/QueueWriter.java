package org.odahu.pack.server.writer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bounded queue drained by one writer thread, so that producers (the event loop, request threads)
 * never wait for slow output. {@link #offer} never blocks: it refuses when the queue is full or
 * closed, and the caller counts the refusal. Every accepted item reaches the {@link Handler}, also
 * when accepted while {@link #close} runs; after {@link #close} returns no item is accepted any
 * more.
 *
 * @param <T> the items written
 */
public final class QueueWriter<T> {
  private static final System.Logger LOG = System.getLogger(QueueWriter.class.getName());

  /** Takes what the queue held, on the writer thread; never called concurrently. */
  public interface Handler<T> {
    /** Writes a batch of items, oldest first (all that were queued when the thread woke). */
    void write(List<T> batch);

    /** Called when nothing arrived for the idle interval; e.g. to flush held-back output. */
    default void idle() {}

    /** Called once, last, after every accepted item was written. */
    default void finish() {}
  }

  /** Put on the queue by {@link #close}: the items before it are the last to write. */
  private static final Object STOP = new Object();

  private final String name;
  private final BlockingQueue<Object> queue;
  private final Handler<T> handler;
  private final Duration idleInterval;
  private final Duration linger;
  private final Thread thread;
  private volatile boolean closed;
  private boolean stopQueued; // guarded by this (close)

  /** Set by the writer before its last sweep of the queue: later items would stay there. */
  private volatile boolean finished;

  /**
   * Starts the writer thread, which writes each item as soon as it can.
   *
   * @param name the thread's name
   * @param capacity how many items may wait
   * @param idleInterval how long the queue may stay empty before {@link Handler#idle()}; zero for
   *     never
   * @param handler what writes the items
   */
  public QueueWriter(String name, int capacity, Duration idleInterval, Handler<T> handler) {
    this(name, capacity, idleInterval, Duration.ZERO, handler);
  }

  /**
   * Starts the writer thread.
   *
   * @param name the thread's name
   * @param capacity how many items may wait
   * @param idleInterval how long the queue may stay empty before {@link Handler#idle()}; zero for
   *     never
   * @param linger how long the writer waits, once an item arrived, for more to write with it: one
   *     wake-up and one write per batch instead of per item while items trickle in (zero: none)
   * @param handler what writes the items
   */
  public QueueWriter(
      String name, int capacity, Duration idleInterval, Duration linger, Handler<T> handler) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    this.name = name;
    // One more place for STOP, so that closing never waits for a full queue to drain.
    this.queue = new ArrayBlockingQueue<>(capacity + 1);
    this.handler = handler;
    this.idleInterval = idleInterval;
    this.linger = linger;
    this.thread = Thread.ofPlatform().daemon().name(name).start(this::run);
  }

  /** Queues an item without waiting; false when the queue is full or closed. */
  public boolean offer(T item) {
    if (closed || queue.remainingCapacity() <= 1 || !queue.offer(item)) {
      return false;
    }
    // Closed between the check and the offer, after the writer's last sweep: take it back.
    return !(finished && queue.remove(item));
  }

  /** Items waiting to be written. */
  public int depth() {
    return queue.size();
  }

  /**
   * Stops accepting items and waits at most {@code wait} until every accepted one is written.
   *
   * @return whether the writer finished within {@code wait}
   */
  public synchronized boolean close(Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    try {
      closed = true;
      // Within the wait too: two offers racing for the place kept for STOP may have filled the
      // queue, and a writer stuck on a stalled disk would never make room. A later close tries
      // again.
      if (!stopQueued) {
        if (!queue.offer(STOP, wait.toNanos(), TimeUnit.NANOSECONDS)) {
          return false;
        }
        stopQueued = true;
      }
      thread.join(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return !thread.isAlive();
  }

  private void run() {
    try {
      boolean stop = false;
      while (!stop) {
        Object first =
            idleInterval.isZero()
                ? queue.take()
                : queue.poll(idleInterval.toNanos(), TimeUnit.NANOSECONDS);
        if (first == null) {
          call(handler::idle);
          continue;
        }
        if (first != STOP && !linger.isZero()) {
          Thread.sleep(linger);
        }
        List<Object> batch = new ArrayList<>();
        batch.add(first);
        queue.drainTo(batch);
        stop = batch.remove(STOP);
        write(batch);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      finished = true;
      List<Object> late = new ArrayList<>();
      queue.drainTo(late);
      write(late);
      call(handler::finish);
    }
  }

  @SuppressWarnings("unchecked") // everything on the queue but STOP came through offer(T)
  private void write(List<Object> batch) {
    if (!batch.isEmpty()) {
      call(() -> handler.write((List<T>) (List<?>) batch));
    }
  }

  /**
   * A failing handler must not end the thread: the queue would fill and every later item would be
   * lost. Errors too (an {@link OutOfMemoryError} while one batch is assembled): the next batch may
   * well fit.
   */
  private void call(Runnable step) {
    try {
      step.run();
    } catch (RuntimeException | Error e) {
      LOG.log(System.Logger.Level.ERROR, name + " failed to write", e);
    }
  }
}
