package org.odahu.pack.server.capture;

import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Where records go, following ODAHU's fluentd configuration: {@code
 * model_log/<tag>/<model>/<version>/year=YYYY/month=MM/day=DD/YYYYMMDDHH_<n>.json}, in UTC. Model
 * name and version come from request headers, so they are made safe as path segments. The same
 * layout serves files ({@link #place}) and object keys ({@link #slot}).
 */
public final class CaptureLayout {
  private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyyMMddHH");

  private CaptureLayout() {}

  /**
   * Where a record belongs, relative to the capture root.
   *
   * @param directory {@code model_log/<tag>/<model>/<version>/year=YYYY/month=MM/day=DD}, separated
   *     by {@code /}
   * @param hour {@code YYYYMMDDHH}, the prefix of the record's file or object name
   */
  public record Slot(String directory, String hour) {}

  /** The directory of one tag, model, version and day, and the file name prefix of the hour. */
  record Place(Path directory, String hourPrefix) {
    Path file(int index) {
      return directory.resolve(hourPrefix + "_" + index + ".json");
    }
  }

  /** The slot of {@code record}: its directory and hour. */
  public static Slot slot(CaptureRecord record) {
    return new Slot(String.join("/", directory(record)), hour(record));
  }

  static Place place(Path root, CaptureRecord record) {
    Path directory = root;
    for (String segment : directory(record)) {
      directory = directory.resolve(segment);
    }
    return new Place(directory, hour(record));
  }

  private static List<String> directory(CaptureRecord record) {
    ZonedDateTime time = record.time().atZone(ZoneOffset.UTC);
    return List.of(
        "model_log",
        segment(record.tag()),
        segment(record.modelName()),
        segment(record.modelVersion()),
        String.format("year=%04d", time.getYear()),
        String.format("month=%02d", time.getMonthValue()),
        String.format("day=%02d", time.getDayOfMonth()));
  }

  private static String hour(CaptureRecord record) {
    return HOUR.format(record.time().atZone(ZoneOffset.UTC));
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
