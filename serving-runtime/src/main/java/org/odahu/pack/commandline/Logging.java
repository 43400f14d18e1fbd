package org.odahu.pack.commandline;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.odahu.pack.logging.JsonLogFormatter;
import org.odahu.pack.logging.LogFormat;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * One-line logs on stderr in the style of ODAHU's packagers: {@code [odahu-pack][ INFO] 2026-01-01
 * 12:00:00.000 - message}, or one JSON object per line ({@link LogFormat#JSON}) for commands with
 * {@code --log-format json}. {@link Executables#main} configures it once the command line is
 * parsed.
 */
public final class Logging {
  /** The option that chooses the format, on the commands that have it. */
  public static final String FORMAT_OPTION = "--log-format";

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

  /**
   * The loggers kept at INFO, held here: the JDK's LogManager holds loggers weakly, so a level set
   * on a logger nothing else references is lost at the next collection.
   */
  private static final List<Logger> CHATTY =
      Stream.of("java", "javax", "jdk", "sun", "io.netty", "com.google", "software.amazon.awssdk")
          .map(Logger::getLogger)
          .toList();

  private Logging() {}

  /** Routes the JDK's logging to one-line stderr output at INFO, or FINE when verbose. */
  public static void configure(boolean verbose) {
    configure(verbose, LogFormat.TEXT);
  }

  /** Routes the JDK's logging to stderr in {@code format}, at INFO or FINE when verbose. */
  public static void configure(boolean verbose, LogFormat format) {
    Logger root = Logger.getLogger("");
    for (Handler handler : root.getHandlers()) {
      root.removeHandler(handler);
    }
    ConsoleHandler console = new ConsoleHandler();
    console.setFormatter(format == LogFormat.JSON ? new JsonLogFormatter() : new OneLine(verbose));
    Level level = verbose ? Level.FINE : Level.INFO;
    console.setLevel(level);
    root.addHandler(console);
    root.setLevel(level);
    // The JDK, Netty, Jib and the AWS SDK are chatty at FINE, and their debug output holds
    // secrets (signed requests' headers, session tokens): keep it out of --verbose.
    for (Logger chatty : CHATTY) {
      chatty.setLevel(Level.INFO);
    }
  }

  /** From now on, only warnings and errors, unless {@link #configure} asked for debug output. */
  public static void warningsOnly() {
    Logger root = Logger.getLogger("");
    Level level = root.getLevel();
    if (level == null || level.intValue() >= Level.INFO.intValue()) {
      root.setLevel(Level.WARNING);
    }
  }

  /**
   * The format the parsed command asked for with {@value #FORMAT_OPTION} (its default included,
   * e.g. from {@code ODAHU_LOG_FORMAT}); text for commands without the option.
   */
  public static LogFormat format(ParseResult parsed) {
    ParseResult deepest = parsed;
    while (deepest.subcommand() != null) {
      deepest = deepest.subcommand();
    }
    return format(deepest.commandSpec().commandLine());
  }

  /**
   * The format {@code command}, or the nearest command it belongs to that has {@value
   * #FORMAT_OPTION}, logs in as far as parsing got, also for a parse a mistake stopped: the
   * option's value if given, else its default (from {@code ODAHU_LOG_FORMAT}), which picocli
   * applies only once all the arguments are read; text without either, or with a default that is no
   * format.
   */
  public static LogFormat format(CommandLine command) {
    for (CommandLine each = command; each != null; each = each.getParent()) {
      OptionSpec option = each.getCommandSpec().findOption(FORMAT_OPTION);
      if (option != null && option.getValue() instanceof LogFormat chosen) {
        return chosen;
      }
      if (option != null && option.defaultValue() != null) {
        try {
          return LogFormat.parse(option.defaultValue());
        } catch (IllegalArgumentException e) {
          return LogFormat.TEXT;
        }
      }
    }
    return LogFormat.TEXT;
  }

  /**
   * {@code message} as text no one can take for other records: its lines after the first (a
   * traceback, text a client sent that a model's error repeats) are indented, and control
   * characters other than tabs are escaped ({@code \x1b}, {@code \x00}), so no line of it starts
   * like a record nor recolours a terminal.
   */
  static String unforgeable(String message) {
    StringBuilder text = new StringBuilder(message.length() + 16);
    for (int i = 0; i < message.length(); i++) {
      char c = message.charAt(i);
      if (c == '\r' && i + 1 < message.length() && message.charAt(i + 1) == '\n') {
        continue; // the \n that follows ends the line
      }
      if (c == '\n' || c == '\r' || c == '\u2028' || c == '\u2029' || c == '\u0085') {
        text.append(System.lineSeparator()).append("  ");
      } else if ((c < 0x20 && c != '\t') || (c >= 0x7f && c < 0xa0)) {
        text.append("\\x").append(String.format(Locale.ROOT, "%02x", (int) c));
      } else {
        text.append(c);
      }
    }
    return text.toString();
  }

  private static final class OneLine extends Formatter {
    private final boolean verbose;

    OneLine(boolean verbose) {
      this.verbose = verbose;
    }

    @Override
    public String format(LogRecord record) {
      StringBuilder line =
          new StringBuilder("[odahu-pack][")
              .append(label(record.getLevel()))
              .append("] ")
              .append(TIME.format(Instant.ofEpochMilli(record.getMillis())))
              .append(" - ")
              .append(unforgeable(formatMessage(record)))
              .append(System.lineSeparator());
      if (record.getThrown() != null && verbose) {
        java.io.StringWriter trace = new java.io.StringWriter();
        record.getThrown().printStackTrace(new java.io.PrintWriter(trace));
        line.append(trace);
      } else if (record.getThrown() != null) {
        line.append("  caused by ")
            .append(unforgeable(record.getThrown().toString()))
            .append(System.lineSeparator());
      }
      return line.toString();
    }

    private static String label(Level level) {
      if (level.intValue() >= Level.SEVERE.intValue()) {
        return "ERROR";
      }
      if (level.intValue() >= Level.WARNING.intValue()) {
        return " WARN";
      }
      if (level.intValue() >= Level.INFO.intValue()) {
        return " INFO";
      }
      return "DEBUG";
    }
  }
}
