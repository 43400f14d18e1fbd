package org.odahu.pack.commandline;

import java.util.List;
import org.odahu.pack.gppi.BackendOptions;
import org.odahu.pack.logging.LogFormat;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Option values checked while the command line is parsed, so a wrong one is a command-line mistake
 * (exit code 2, with the usage) reported before anything starts. Use as {@code @Option(converter =
 * Converters.Port.class)}; picocli applies them to values from the environment too.
 */
public final class Converters {
  private Converters() {}

  /** A TCP port: 0 (any free port) to 65535. */
  public static final class Port implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      int port = integer(value);
      if (port < 0 || port > 65535) {
        throw new TypeConversionException("must be between 0 and 65535, got " + port);
      }
      return port;
    }
  }

  /** A count that must be at least 1 (workers, threads, replicas). */
  public static final class AtLeastOne implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      int count = integer(value);
      if (count < 1) {
        throw new TypeConversionException("must be at least 1, got " + count);
      }
      return count;
    }
  }

  /**
   * Python workers: at least 1, at most {@link BackendOptions#MAX_WORKERS} (each a process of tens
   * of MiB or more: a slip of a finger, {@code 10000}, would take the machine's memory).
   */
  public static final class Workers implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      int count = integer(value);
      if (count < 1 || count > BackendOptions.MAX_WORKERS) {
        throw new TypeConversionException(
            "must be between 1 and " + BackendOptions.MAX_WORKERS + ", got " + count);
      }
      return count;
    }
  }

  /** A duration in whole seconds that must be at least 1. */
  public static final class PositiveSeconds implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      long seconds = seconds(value);
      if (seconds < 1) {
        throw new TypeConversionException("must be at least 1 second, got " + seconds);
      }
      return seconds;
    }
  }

  /** A duration in whole seconds, 0 or more. */
  public static final class NonNegativeSeconds implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      long seconds = seconds(value);
      if (seconds < 0) {
        throw new TypeConversionException("must not be negative, got " + seconds);
      }
      return seconds;
    }
  }

  /** The longest duration taken: ~31 years; a deadline further away would overflow a clock. */
  static final long MAX_SECONDS = 1_000_000_000L;

  private static long seconds(String value) {
    long seconds;
    try {
      seconds = Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw new TypeConversionException("'" + value + "' is not a whole number of seconds");
    }
    if (seconds > MAX_SECONDS) {
      throw new TypeConversionException(
          "must be at most " + MAX_SECONDS + " seconds (about 31 years), got " + seconds);
    }
    return seconds;
  }

  /** A number of bytes that must not be negative ({@code 0} usually means: chosen for you). */
  public static final class NonNegativeBytes implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      long bytes;
      try {
        bytes = Long.parseLong(value.strip());
      } catch (NumberFormatException e) {
        throw new TypeConversionException("'" + value + "' is not a whole number of bytes");
      }
      if (bytes < 0) {
        throw new TypeConversionException("must not be negative, got " + bytes);
      }
      return bytes;
    }
  }

  /** One of a few names; an error lists them all. */
  public abstract static class OneOf implements ITypeConverter<String> {
    private final List<String> names;

    OneOf(String... names) {
      this.names = List.of(names);
    }

    @Override
    public String convert(String value) {
      if (!names.contains(value)) {
        throw new TypeConversionException(
            "must be " + String.join(" or ", names) + ", got '" + value + "'");
      }
      return value;
    }
  }

  /** A model runtime odahu-pack knows: {@code cpython} or {@code graalpy}. */
  public static final class RuntimeName extends OneOf {
    public RuntimeName() {
      super(BackendOptions.CPYTHON, BackendOptions.GRAALPY);
    }
  }

  /** What a model's {@code input_matrix} is: {@code lists} or {@code ndarray}. */
  public static final class InputMatrix extends OneOf {
    public InputMatrix() {
      super(BackendOptions.LISTS, BackendOptions.NDARRAY);
    }
  }

  /** A log format: {@code text} or {@code json}. */
  public static final class LogFormatName implements ITypeConverter<LogFormat> {
    @Override
    public LogFormat convert(String value) {
      try {
        return LogFormat.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  private static int integer(String value) {
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      if (value.strip().matches("[-+]?[0-9]+")) {
        throw new TypeConversionException(
            "'" + value + "' is beyond " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE);
      }
      throw new TypeConversionException("'" + value + "' is not a whole number");
    }
  }
}
