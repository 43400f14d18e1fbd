package org.odahu.pack.pydeps.plan;

import java.util.List;

/**
 * A wheel to install.
 *
 * @param name the project name
 * @param version the version
 * @param filename the wheel's file name
 * @param sha256 the wheel's digest (hex)
 * @param source the index or find-links location, credentials redacted
 * @param requiredBy what asked for it
 */
public record PlannedWheel(
    String name,
    String version,
    String filename,
    String sha256,
    String source,
    List<String> requiredBy) {
  /** Copies the list. */
  public PlannedWheel {
    requiredBy = List.copyOf(requiredBy);
  }
}
