package org.odahu.pack.batch;

import java.nio.file.Path;
import java.util.Locale;

/** The file formats of batch prediction, for input and output. */
public enum FileFormat {
  /** ODAHU's {@code {"columns": [...], "data": [[...], ...]}}; its answer file. */
  JSON("json"),
  /** JSON Lines: one row per line, an array of values or an object of column names to values. */
  JSONL("jsonl"),
  /** CSV with a header row of column names (RFC 4180 quoting). */
  CSV("csv");

  private final String extension;

  FileFormat(String extension) {
    this.extension = extension;
  }

  /** The file name extension, without the dot. */
  public String extension() {
    return extension;
  }

  /**
   * The format a file name says: {@code .jsonl} (or {@code .ndjson}), {@code .csv}, otherwise
   * ODAHU's JSON (ODAHU read every input file as JSON, whatever its name).
   */
  public static FileFormat of(Path file) {
    String name = file.getFileName() == null ? "" : file.getFileName().toString();
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".jsonl") || lower.endsWith(".ndjson")) {
      return JSONL;
    }
    return lower.endsWith(".csv") ? CSV : JSON;
  }

  /** The format named {@code name} ({@code json}, {@code jsonl}, {@code csv}), any case. */
  public static FileFormat named(String name) {
    for (FileFormat format : values()) {
      if (format.extension.equalsIgnoreCase(name.strip())) {
        return format;
      }
    }
    throw new IllegalArgumentException("must be json, jsonl or csv, got '" + name + "'");
  }

  /** {@code name} with this format's extension in place of its own, e.g. results.csv. */
  public String rename(String name) {
    int dot = name.lastIndexOf('.');
    return (dot <= 0 ? name : name.substring(0, dot)) + "." + extension;
  }

  @Override
  public String toString() {
    return extension;
  }
}
