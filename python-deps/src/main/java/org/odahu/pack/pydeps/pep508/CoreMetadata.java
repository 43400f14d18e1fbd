package org.odahu.pack.pydeps.pep508;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The headers of a distribution's core metadata ({@code METADATA}, {@code PKG-INFO}): name,
 * version, {@code Requires-Dist}, {@code Requires-Python}. The description body is ignored.
 *
 * @param headers each header's values, keys in lower case
 */
public record CoreMetadata(Map<String, List<String>> headers) {

  /** Copies the headers. */
  public CoreMetadata {
    headers = Map.copyOf(headers);
  }

  /** Parses the RFC 822 style headers up to the first empty line. */
  public static CoreMetadata parse(String text) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    String key = null;
    for (String line : text.split("\r?\n", -1)) {
      if (line.isEmpty()) {
        break;
      }
      if ((line.startsWith(" ") || line.startsWith("\t")) && key != null) {
        List<String> values = headers.get(key);
        values.set(values.size() - 1, values.get(values.size() - 1) + "\n" + line.strip());
        continue;
      }
      int colon = line.indexOf(':');
      if (colon > 0) {
        key = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
        headers.computeIfAbsent(key, k -> new ArrayList<>()).add(line.substring(colon + 1).strip());
      }
    }
    return new CoreMetadata(headers);
  }

  /** The first value of header {@code name}. */
  public Optional<String> first(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** Every value of header {@code name}. */
  public List<String> all(String name) {
    return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
  }

  /** {@code Requires-Dist}, parsed. */
  public List<Requirement> requiresDist() {
    return all("Requires-Dist").stream().map(Requirement::parse).toList();
  }

  /**
   * setuptools' {@code requires.txt} of an {@code .egg-info} as {@code Requires-Dist} lines: {@code
   * [extra]} and {@code [extra:marker]} sections become markers.
   */
  public static List<String> eggRequires(String requiresTxt) {
    List<String> lines = new ArrayList<>();
    String marker = "";
    for (String raw : requiresTxt.split("\r?\n", -1)) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("[") && line.endsWith("]")) {
        String section = line.substring(1, line.length() - 1);
        int colon = section.indexOf(':');
        String extra = colon < 0 ? section : section.substring(0, colon);
        String condition = colon < 0 ? "" : section.substring(colon + 1);
        List<String> parts = new ArrayList<>();
        if (!condition.isBlank()) {
          parts.add("(" + condition + ")");
        }
        if (!extra.isBlank()) {
          parts.add("extra == \"" + extra + "\"");
        }
        marker = String.join(" and ", parts);
        continue;
      }
      lines.add(marker.isEmpty() ? line : line + " ; " + marker);
    }
    return lines;
  }
}
