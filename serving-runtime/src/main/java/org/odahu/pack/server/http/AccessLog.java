package org.odahu.pack.server.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.odahu.pack.logging.ContextLogger;
import org.odahu.pack.logging.JsonLine;
import org.odahu.pack.logging.LogContext;
import org.odahu.pack.logging.LogFormat;
import org.odahu.pack.logging.RateLimitedLog;
import org.odahu.pack.server.writer.QueueWriter;

/**
 * One line per request (time, client, method, path, status, bytes, duration, request id, and the
 * W3C trace when the request had one), as text or as a JSON object, formatted and written by its
 * own thread so the event loop neither waits on the console nor spends its time formatting dates
 * and numbers (~3 % of the JVM's CPU at 1 row, c=64); lines beyond the buffer, and those of a write
 * that fails (a full disk), are counted (odahu_access_log_dropped_lines_total) and dropped, and the
 * drops are reported in the server log at once, then at most once a minute, and in all at close.
 * Successful health probes and metrics scrapes are left out unless asked for: they come every few
 * seconds and would bury the requests that matter; failed ones are always written.
 */
public final class AccessLog implements AutoCloseable {
  /**
   * How long the writer gathers lines before writing them: under load it wakes once per period
   * instead of once per request, which took ~50 µs of CPU per request at one client.
   */
  static final Duration LINGER = Duration.ofMillis(10);

  /** The least time between two reports of dropped lines. */
  static final Duration REPORT_PERIOD = Duration.ofMinutes(1);

  private static final ContextLogger LOG = ContextLogger.of(AccessLog.class);

  private final QueueWriter<Line> lines;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong reported = new AtomicLong();
  private final RateLimitedLog reports =
      new RateLimitedLog(
          System.getLogger(AccessLog.class.getName()),
          REPORT_PERIOD.toNanos(),
          TimeUnit.NANOSECONDS);
  private final LogFormat format;
  private final boolean probes;
  private final ModelIdentity model;

  /**
   * @param out where lines go, in UTF-8; a stream that throws its write errors (a {@code
   *     PrintStream} such as {@code System.out} keeps them to itself, and its lost lines could not
   *     be counted)
   * @param format text or JSON lines
   * @param probes whether successful probes and scrapes are logged too
   * @param model the served model, named in JSON lines
   */
  public AccessLog(OutputStream out, LogFormat format, boolean probes, ModelIdentity model) {
    this.format = format;
    this.probes = probes;
    this.model = model;
    this.lines =
        new QueueWriter<>(
            "odahu-access-log",
            16_384,
            Duration.ZERO,
            LINGER,
            batch -> {
              // One write for the batch: System.out flushes on every line otherwise.
              StringBuilder text = new StringBuilder(batch.size() * 160);
              for (Line line : batch) {
                text.append(format(line)).append(System.lineSeparator());
              }
              try {
                out.write(text.toString().getBytes(StandardCharsets.UTF_8));
                out.flush();
              } catch (IOException e) {
                // Part of the batch may have been written: all of it counts as lost.
                dropped.addAndGet(batch.size());
                reportDrops("writing to stdout failed: " + e.getMessage());
              }
            });
  }

  /** Logs one finished request, unless it is a successful probe and probes are not logged. */
  public void log(RequestLog.Entry entry) {
    if (entry.probe() && !probes && entry.status() / 100 == 2) {
      return;
    }
    if (!lines.offer(new Line(System.currentTimeMillis(), entry))) {
      dropped.incrementAndGet();
      reportDrops("stdout does not take them as fast as requests are answered");
    }
  }

  /**
   * Reports the lines dropped since the last report and why, unless one was made less than a period
   * ago.
   */
  private void reportDrops(String reason) {
    // Now or, for the rest of a burst, when the period is over: not only at the next drop.
    reports.reportWhenDue(
        () -> {
          long total = dropped.get();
          long since = total - reported.getAndSet(total);
          if (since > 0) {
            LOG.log(
                System.Logger.Level.WARNING,
                LogContext.model(model.name(), model.version()),
                "Dropped {0,number,#} access-log line(s) ({1,number,#} in all): {2}",
                since,
                total,
                reason);
          }
        });
  }

  /** A finished request and when it finished, until the writer formats it. */
  private record Line(long epochMillis, RequestLog.Entry entry) {}

  private String format(Line line) {
    Instant time = Instant.ofEpochMilli(line.epochMillis());
    return format == LogFormat.JSON ? json(time, line.entry()) : text(time, line.entry());
  }

  private static String text(Instant time, RequestLog.Entry entry) {
    String line =
        time
            + " "
            + client(entry)
            + " \""
            + entry.method()
            + " "
            + entry.uri()
            + "\" "
            + entry.status()
            + " "
            + entry.bytes()
            + " "
            + String.format(Locale.ROOT, "%.3f", entry.nanos() / 1e6)
            + "ms request_id="
            + entry.requestId();
    TraceParent trace = entry.trace();
    return trace == null
        ? line
        : line + " trace_id=" + trace.traceId() + " span_id=" + trace.parentId();
  }

  private String json(Instant time, RequestLog.Entry entry) {
    TraceParent trace = entry.trace();
    LogContext context =
        LogContext.model(model.name(), model.version())
            .withRequest(
                entry.requestId(),
                trace == null ? null : trace.traceId(),
                trace == null ? null : trace.parentId());
    return new JsonLine()
        .field("time", JsonLine.time(time))
        .field("level", "INFO")
        .field("logger", "access")
        .field("message", entry.method() + " " + entry.uri() + " " + entry.status())
        .field("client", client(entry))
        .field("method", entry.method())
        .field("uri", entry.uri())
        .field("status", entry.status())
        .field("bytes", entry.bytes())
        .field("duration_ms", Math.round(entry.nanos() / 1e3) / 1e3)
        .context(context)
        .end();
  }

  private static String client(RequestLog.Entry entry) {
    String client = entry.client();
    return client.startsWith("/") ? client.substring(1) : client;
  }

  /** Lines dropped because the console could not keep up or refused them. */
  public long dropped() {
    return dropped.get();
  }

  /** Writes what is queued and stops. */
  @Override
  public void close() {
    lines.close(Duration.ofSeconds(5));
    long total = dropped.get();
    if (total > 0) {
      LOG.log(
          System.Logger.Level.WARNING,
          LogContext.model(model.name(), model.version()),
          "Dropped {0,number,#} access-log line(s) in all: stdout did not take them as fast as"
              + " requests were answered, or refused them",
          total);
    }
  }
}
