package org.odahu.pack.logging;

import java.util.Locale;

/** How log lines are written: for people, or one JSON object per line for log collectors. */
public enum LogFormat {
  /** One line of text per record: {@code [odahu-pack][ INFO] <time> - <message>}. */
  TEXT,
  /**
   * One JSON object per line: {@code time}, {@code level}, {@code logger}, {@code thread}, {@code
   * message}, and where known {@code model_name}, {@code model_version}, {@code request_id}, {@code
   * trace_id}, {@code span_id}, {@code exception}.
   */
  JSON;

  /** The format's name on the command line and in {@code ODAHU_LOG_FORMAT}. */
  public String optionValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The format named {@code value} ({@code text} or {@code json}, any case).
   *
   * @throws IllegalArgumentException naming the formats when {@code value} is none of them
   */
  public static LogFormat parse(String value) {
    for (LogFormat format : values()) {
      if (format.optionValue().equalsIgnoreCase(value.strip())) {
        return format;
      }
    }
    throw new IllegalArgumentException("must be text or json, got '" + value + "'");
  }
}
