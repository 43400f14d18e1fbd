package org.odahu.pack.commandline;

import java.math.BigInteger;
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
      return (int) whole(value, 0, 65535, "");
    }
  }

  /** A count that must be at least 1 (workers, threads, replicas, queue places, attempts). */
  public static final class AtLeastOne implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      return (int) whole(value, 1, Integer.MAX_VALUE, "");
    }
  }

  /**
   * Any whole number that fits an int, for an option whose range the command checks with the
   * options it depends on, and explains (a pod's port, an Indexed Job's completions).
   */
  public static final class WholeNumber implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      return (int) whole(value, Integer.MIN_VALUE, Integer.MAX_VALUE, "");
    }
  }

  /** A count that may be 0 (replicas of a service that scales to zero, retries). */
  public static final class AtLeastZero implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      return (int) whole(value, 0, Integer.MAX_VALUE, "");
    }
  }

  /**
   * Python workers: at least 1, at most {@link BackendOptions#MAX_WORKERS} (each a process of tens
   * of MiB or more: a slip of a finger, {@code 10000}, would take the machine's memory).
   */
  public static final class Workers implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      return (int) whole(value, 1, BackendOptions.MAX_WORKERS, "");
    }
  }

  /** A size in bytes held in one Java array: 1 to 2147483647 (2 GiB less a byte). */
  public static final class PositiveIntBytes implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      return (int) whole(value, 1, Integer.MAX_VALUE, "bytes");
    }
  }

  /**
   * A number of bytes whose range is checked with the options it depends on (an S3 object's size
   * against its buffer's): here only that it is a whole number.
   */
  public static final class Bytes implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      return whole(value, Long.MIN_VALUE, Long.MAX_VALUE, "bytes");
    }
  }

  /** A delay in whole milliseconds, 0 (none) or more, up to {@link #MAX_SECONDS} seconds. */
  public static final class NonNegativeMillis implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      return whole(value, 0, MAX_SECONDS * 1000, "milliseconds");
    }
  }

  /**
   * A duration in seconds that may have a fraction ({@code 2.5}), 0 or more, up to {@link
   * #MAX_SECONDS}; whether 0 is taken is the command's to say.
   */
  public static final class DecimalSeconds implements ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
      double seconds;
      try {
        seconds = Double.parseDouble(value.strip());
      } catch (NumberFormatException e) {
        seconds = Double.NaN;
      }
      if (!Double.isFinite(seconds) || !value.strip().matches("[-+]?[0-9.]+([eE][-+]?[0-9]+)?")) {
        throw new TypeConversionException(
            "'" + value + "' is not a number of seconds (such as 3 or 0.5)");
      }
      if (seconds < 0) {
        throw new TypeConversionException("must not be negative, got " + value.strip());
      }
      if (seconds > MAX_SECONDS) {
        throw new TypeConversionException(
            "must be at most " + MAX_SECONDS + " seconds, got " + value.strip());
      }
      return seconds;
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
      return whole(value, 0, Long.MAX_VALUE, "bytes");
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

  /**
   * {@code value} as a whole number from {@code min} to {@code max}, or a sentence saying the form
   * and the range taken (picocli puts the option's name before it). A bound that is only the limit
   * of Java's {@code long} is not mentioned: no one needs to read 9223372036854775807.
   *
   * @param unit what the number counts, in the plural ({@code bytes}), or empty
   */
  static long whole(String value, long min, long max, String unit) {
    String number = value.strip();
    if (!number.matches("[-+]?[0-9]+")) {
      String range =
          range(
              min == Integer.MIN_VALUE ? Long.MIN_VALUE : min,
              max == Integer.MAX_VALUE && min == Integer.MIN_VALUE ? Long.MAX_VALUE : max,
              "");
      throw new TypeConversionException(
          "'"
              + value
              + "' is not a whole number"
              + (unit.isEmpty() ? "" : " of " + unit)
              + (range.isEmpty() ? "" : " (it must " + range + ")"));
    }
    BigInteger parsed = new BigInteger(number);
    // The side passed, when the other bound is only what an int or a long holds:
    // "must be at least 1, got 0", not "must be between 1 and 2147483647, got 0".
    boolean typeLimit = max == Integer.MAX_VALUE || max == Long.MAX_VALUE;
    if (parsed.compareTo(BigInteger.valueOf(min)) < 0) {
      throw new TypeConversionException(
          "must " + range(min, typeLimit ? Long.MAX_VALUE : max, unit) + ", got " + number);
    }
    if (parsed.compareTo(BigInteger.valueOf(max)) > 0) {
      throw new TypeConversionException(
          "must " + range(typeLimit ? Long.MIN_VALUE : min, max, unit) + ", got " + number);
    }
    return parsed.longValueExact();
  }

  /** {@code be between 1 and 1024}, {@code be at least 1 byte}, {@code not be negative}, or "". */
  private static String range(long min, long max, String unit) {
    boolean unbounded = max == Long.MAX_VALUE;
    if (min == Long.MIN_VALUE) {
      return unbounded ? "" : "be at most " + max + units(max, unit);
    }
    if (unbounded) {
      return min == 0 ? "not be negative" : "be at least " + min + units(min, unit);
    }
    return "be between " + min + " and " + max + units(max, unit);
  }

  /** {@code " bytes"}, {@code " byte"} for 1, or "". */
  private static String units(long count, String unit) {
    if (unit.isEmpty()) {
      return "";
    }
    return " " + (count == 1 ? unit.substring(0, unit.length() - 1) : unit);
  }
}
