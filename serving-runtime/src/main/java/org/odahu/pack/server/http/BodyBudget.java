package org.odahu.pack.server.http;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.odahu.pack.logging.RateLimitedLog;

/**
 * The bytes of request bodies the server holds at once, across all connections: a request's body is
 * reserved when its head arrives (its {@code Content-Length}, or chunk by chunk) and released once
 * it has been answered. Thread-safe.
 */
public final class BodyBudget {
  private static final System.Logger LOG = System.getLogger(BodyBudget.class.getName());

  private final long capacity;
  private final AtomicLong reserved = new AtomicLong();
  private final RateLimitedLog refusals = new RateLimitedLog(LOG, 60, TimeUnit.SECONDS);

  /** A budget of {@code capacity} bytes. */
  public BodyBudget(long capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive, got " + capacity);
    }
    this.capacity = capacity;
  }

  /** The bound. */
  public long capacity() {
    return capacity;
  }

  /** Bytes reserved now. */
  public long reserved() {
    return reserved.get();
  }

  /** Reserves {@code bytes} unless that would pass the bound. */
  boolean tryReserve(long bytes) {
    long now;
    do {
      now = reserved.get();
      if (now + bytes > capacity) {
        return false;
      }
    } while (!reserved.compareAndSet(now, now + bytes));
    return true;
  }

  /** Logs, at most once a minute, that a request was refused for want of room. */
  void refused() {
    refusals.warn(
        "Refusing request bodies: "
            + reserved.get()
            + " of "
            + capacity
            + " bytes are held (--max-buffered-bytes); answering 503");
  }

  void release(long bytes) {
    if (bytes > 0) {
      reserved.addAndGet(-bytes);
    }
  }
}
