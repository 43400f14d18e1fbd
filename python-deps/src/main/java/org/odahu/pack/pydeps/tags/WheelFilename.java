package org.odahu.pack.pydeps.tags;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.odahu.pack.pydeps.pep440.Version;
import org.odahu.pack.pydeps.pep508.ProjectNames;

/**
 * The parts of a wheel's file name (PEP 427): {@code
 * {name}-{version}(-{build})?-{python}-{abi}-{platform}.whl}, whose tag parts may be compressed
 * sets ({@code py2.py3-none-any}).
 *
 * @param filename the file name
 * @param name the normalised project name
 * @param version the version
 * @param build the build tag, or empty
 * @param tags every tag the compressed sets expand to
 */
public record WheelFilename(
    String filename, String name, Version version, String build, List<WheelTag> tags) {

  /** Copies the tags. */
  public WheelFilename {
    tags = List.copyOf(tags);
  }

  /** Parses {@code filename}, or empty when it is not a valid wheel name. */
  public static Optional<WheelFilename> parse(String filename) {
    if (!filename.toLowerCase(Locale.ROOT).endsWith(".whl")) {
      return Optional.empty();
    }
    String[] parts = filename.substring(0, filename.length() - 4).split("-", -1);
    if (parts.length != 5 && parts.length != 6) {
      return Optional.empty();
    }
    Optional<Version> version = Version.tryParse(parts[1]);
    if (version.isEmpty() || !ProjectNames.isValid(parts[0])) {
      return Optional.empty();
    }
    String build = parts.length == 6 ? parts[2] : "";
    int t = parts.length - 3;
    List<WheelTag> tags = new ArrayList<>();
    for (String python : parts[t].split("\\.", -1)) {
      for (String abi : parts[t + 1].split("\\.", -1)) {
        for (String platform : parts[t + 2].split("\\.", -1)) {
          tags.add(new WheelTag(python, abi, platform));
        }
      }
    }
    return Optional.of(
        new WheelFilename(filename, ProjectNames.normalize(parts[0]), version.get(), build, tags));
  }

  /** The build tag's leading number (PEP 427 orders builds by it), or -1. */
  public long buildNumber() {
    int digits = 0;
    while (digits < build.length() && Character.isDigit(build.charAt(digits))) {
      digits++;
    }
    return digits == 0 ? -1 : Long.parseLong(build.substring(0, Math.min(digits, 18)));
  }
}
