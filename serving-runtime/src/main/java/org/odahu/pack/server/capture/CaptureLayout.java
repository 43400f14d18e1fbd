package org.odahu.pack.server.capture;

import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Where records go, following ODAHU's fluentd configuration: {@code
 * model_log/<tag>/<model>/<version>/year=YYYY/month=MM/day=DD/YYYYMMDDHH_<n>.json}, in UTC. Model
 * name and version come from request headers, so they are made safe as path segments.
 */
final class CaptureLayout {
  private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyyMMddHH");

  private CaptureLayout() {}

  /** The directory of one tag, model, version and day, and the file name prefix of the hour. */
  record Place(Path directory, String hourPrefix) {
    Path file(int index) {
      return directory.resolve(hourPrefix + "_" + index + ".json");
    }
  }

  static Place place(Path root, CaptureRecord record) {
    ZonedDateTime time = record.time().atZone(ZoneOffset.UTC);
    Path directory =
        root.resolve("model_log")
            .resolve(segment(record.tag()))
            .resolve(segment(record.modelName()))
            .resolve(segment(record.modelVersion()))
            .resolve(String.format("year=%04d", time.getYear()))
            .resolve(String.format("month=%02d", time.getMonthValue()))
            .resolve(String.format("day=%02d", time.getDayOfMonth()));
    return new Place(directory, HOUR.format(time));
  }

  /** A safe single path segment: letters, digits, '.', '_' and '-' only, never "." or "..". */
  static String segment(String value) {
    if (value == null || value.isEmpty()) {
      return "unknown";
    }
    String safe = value.replaceAll("[^A-Za-z0-9._-]", "_");
    return safe.equals(".") || safe.equals("..") ? safe.replace('.', '_') : safe;
  }
}
