package org.odahu.pack.logging;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * The JDK's log records as one JSON object per line (see {@link LogFormat#JSON}); the {@link
 * LogContext} a {@link ContextLogger} attached becomes fields, a throwable becomes {@code
 * exception} with its whole stack trace.
 */
public final class JsonLogFormatter extends Formatter {

  @Override
  public String format(LogRecord record) {
    JsonLine line =
        new JsonLine()
            .field("time", JsonLine.time(record.getInstant()))
            .field("level", level(record.getLevel()))
            .field("logger", record.getLoggerName())
            // Console handlers format on the thread that logs.
            .field("thread", Thread.currentThread().getName())
            .field("message", formatMessage(record))
            .context(ContextLogger.contextOf(record));
    if (record.getThrown() != null) {
      StringWriter trace = new StringWriter();
      record.getThrown().printStackTrace(new PrintWriter(trace));
      line.field("exception", trace.toString().stripTrailing());
    }
    return line.end() + System.lineSeparator();
  }

  /** ERROR, WARN, INFO, DEBUG or TRACE. */
  static String level(Level level) {
    int value = level.intValue();
    if (value >= Level.SEVERE.intValue()) {
      return "ERROR";
    }
    if (value >= Level.WARNING.intValue()) {
      return "WARN";
    }
    if (value >= Level.INFO.intValue()) {
      return "INFO";
    }
    return value >= Level.FINE.intValue() ? "DEBUG" : "TRACE";
  }
}
