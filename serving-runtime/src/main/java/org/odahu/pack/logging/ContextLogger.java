package org.odahu.pack.logging;

import java.util.Arrays;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * A logger whose lines carry a {@link LogContext}: it travels as the last parameter of the JDK log
 * record, after the message's own arguments, so the text format (which formats only the arguments
 * its {@link java.text.MessageFormat} pattern names) is unchanged and the JSON format writes the
 * context as fields.
 */
public final class ContextLogger {
  private final Logger logger;

  private ContextLogger(Logger logger) {
    this.logger = logger;
  }

  /** The logger named after {@code owner}. */
  public static ContextLogger of(Class<?> owner) {
    return new ContextLogger(Logger.getLogger(owner.getName()));
  }

  /** Logs {@code pattern} (a {@link java.text.MessageFormat}) with {@code args} and context. */
  public void log(System.Logger.Level level, LogContext context, String pattern, Object... args) {
    log(level, context, null, pattern, args);
  }

  /** As {@link #log(System.Logger.Level, LogContext, String, Object...)}, with a throwable. */
  public void log(
      System.Logger.Level level,
      LogContext context,
      Throwable thrown,
      String pattern,
      Object... args) {
    Level julLevel = julLevel(level);
    if (!logger.isLoggable(julLevel)) {
      return;
    }
    Object[] parameters = Arrays.copyOf(args, args.length + 1);
    parameters[args.length] = context;
    LogRecord record = new LogRecord(julLevel, pattern);
    record.setLoggerName(logger.getName());
    record.setParameters(parameters);
    record.setThrown(thrown);
    // The caller is not the source either formatter shows; skip the JDK's stack walk for it.
    record.setSourceClassName(logger.getName());
    record.setSourceMethodName(null);
    logger.log(record);
  }

  /** The context a record carries, or {@link LogContext#NONE}. */
  static LogContext contextOf(LogRecord record) {
    Object[] parameters = record.getParameters();
    if (parameters != null
        && parameters.length > 0
        && parameters[parameters.length - 1] instanceof LogContext context) {
      return context;
    }
    return LogContext.NONE;
  }

  private static Level julLevel(System.Logger.Level level) {
    return switch (level) {
      case ALL, TRACE -> Level.FINER;
      case DEBUG -> Level.FINE;
      case INFO -> Level.INFO;
      case WARNING -> Level.WARNING;
      case ERROR -> Level.SEVERE;
      case OFF -> Level.OFF;
    };
  }
}
