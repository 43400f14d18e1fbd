package org.odahu.pack.server.http;

import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One line per request (time, client, method, path, status, bytes, duration, request id), written
 * by its own thread so the event loop never waits on the console; lines beyond the buffer are
 * counted and dropped.
 */
public final class AccessLog implements AutoCloseable {
  private static final String STOP = new String("stop");

  private final PrintStream out;
  private final BlockingQueue<String> lines = new ArrayBlockingQueue<>(16_384);
  private final AtomicLong dropped = new AtomicLong();
  private final Thread thread;

  public AccessLog(PrintStream out) {
    this.out = out;
    this.thread = Thread.ofPlatform().daemon().name("odahu-access-log").start(this::run);
  }

  /** Logs one finished request. */
  public void log(
      String client,
      String method,
      String uri,
      int status,
      long bytes,
      long nanos,
      String requestId) {
    String line =
        Instant.now().truncatedTo(ChronoUnit.MILLIS)
            + " "
            + (client.startsWith("/") ? client.substring(1) : client)
            + " \""
            + method
            + " "
            + uri
            + "\" "
            + status
            + " "
            + bytes
            + " "
            + String.format(Locale.ROOT, "%.3f", nanos / 1e6)
            + "ms request_id="
            + requestId;
    if (!lines.offer(line)) {
      dropped.incrementAndGet();
    }
  }

  @SuppressWarnings({"ReferenceEquality", "StringEquality"}) // a sentinel, compared by identity
  private static boolean isStop(String line) {
    return line == STOP;
  }

  private void run() {
    List<String> batch = new ArrayList<>();
    try {
      while (true) {
        batch.add(lines.take());
        lines.drainTo(batch);
        boolean stop = false;
        for (String line : batch) {
          if (isStop(line)) {
            stop = true;
          } else {
            out.println(line);
          }
        }
        out.flush();
        batch.clear();
        if (stop) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Writes what is queued and stops. */
  @Override
  public void close() {
    try {
      lines.put(STOP);
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
