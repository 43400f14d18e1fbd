package org.odahu.pack.server.http;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.odahu.pack.server.writer.QueueWriter;

/**
 * One line per request (time, client, method, path, status, bytes, duration, request id), written
 * by its own thread so the event loop never waits on the console; lines beyond the buffer are
 * counted and dropped.
 */
public final class AccessLog implements AutoCloseable {
  private final QueueWriter<String> lines;
  private final AtomicLong dropped = new AtomicLong();

  public AccessLog(PrintStream out) {
    this.lines =
        new QueueWriter<>(
            "odahu-access-log",
            16_384,
            Duration.ZERO,
            batch -> {
              batch.forEach(out::println);
              out.flush();
            });
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

  /** Lines dropped because the console could not keep up. */
  public long dropped() {
    return dropped.get();
  }

  /** Writes what is queued and stops. */
  @Override
  public void close() {
    lines.close(Duration.ofSeconds(5));
  }
}
