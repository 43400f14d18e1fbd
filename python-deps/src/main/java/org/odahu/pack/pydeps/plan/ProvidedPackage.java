package org.odahu.pack.pydeps.plan;

import java.util.List;

/**
 * A requirement the base image already meets.
 *
 * @param name the project name
 * @param version the base's version
 * @param location where the base has it
 * @param requiredBy what asked for it (file and line, or the requiring package)
 */
public record ProvidedPackage(
    String name, String version, String location, List<String> requiredBy) {
  /** Copies the list. */
  public ProvidedPackage {
    requiredBy = List.copyOf(requiredBy);
  }
}
