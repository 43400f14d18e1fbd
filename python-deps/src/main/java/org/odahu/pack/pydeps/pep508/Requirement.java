package org.odahu.pack.pydeps.pep508;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.odahu.pack.pydeps.common.DependencyException;
import org.odahu.pack.pydeps.common.Redaction;
import org.odahu.pack.pydeps.pep440.SpecifierSet;

/**
 * A PEP 508 requirement: {@code name[extra1,extra2] >=1.0,<2 ; python_version < "3.10"}, or a
 * direct reference {@code name @ https://host/name-1.0-py3-none-any.whl}.
 *
 * @param name the project name as written
 * @param extras the extras, normalised
 * @param specifier the version clauses (empty for any version)
 * @param url a direct reference, or {@code null}
 * @param marker when the requirement applies, or {@code null} for always
 */
public record Requirement(
    String name, Set<String> extras, SpecifierSet specifier, String url, Marker marker) {
  private static final Pattern HEAD =
      Pattern.compile("\\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\\s*(?:\\[([^\\]]*)\\])?");

  /** Normalises the extras. */
  public Requirement {
    TreeSet<String> normalized = new TreeSet<>();
    extras.forEach(extra -> normalized.add(ProjectNames.normalize(extra)));
    extras = java.util.Collections.unmodifiableSet(normalized);
  }

  /** Parses a PEP 508 line (also the legacy {@code name (>=1.0)} form of old metadata). */
  public static Requirement parse(String text) {
    Matcher head = HEAD.matcher(text);
    if (!head.lookingAt()) {
      throw invalid(text, "it does not start with a project name");
    }
    Set<String> extras = extras(text, head.group(2));
    String rest = text.substring(head.end()).strip();
    String url = null;
    String markerText = null;
    if (rest.startsWith("@")) {
      String[] urlAndMarker = rest.substring(1).strip().split("\\s+;", 2);
      url = urlAndMarker[0].strip();
      markerText = urlAndMarker.length > 1 ? urlAndMarker[1] : null;
      if (url.isEmpty()) {
        throw invalid(text, "'@' must be followed by a URL");
      }
      rest = "";
    } else {
      int semicolon = rest.indexOf(';');
      if (semicolon >= 0) {
        markerText = rest.substring(semicolon + 1);
        rest = rest.substring(0, semicolon).strip();
      }
    }
    if (rest.startsWith("(") && rest.endsWith(")")) {
      rest = rest.substring(1, rest.length() - 1);
    }
    if (rest.strip().startsWith(",") || rest.matches(".*,\\s*,.*")) {
      // A set skips blank clauses; PEP 508 allows one only at the end ('foo>=1,').
      throw invalid(text, "empty version clause");
    }
    SpecifierSet specifier;
    try {
      specifier = SpecifierSet.parse(rest);
    } catch (DependencyException e) {
      throw invalid(text, e.getMessage());
    }
    Marker marker = markerText == null || markerText.isBlank() ? null : Marker.parse(markerText);
    return new Requirement(head.group(1), extras, specifier, url, marker);
  }

  private static Set<String> extras(String text, String list) {
    Set<String> extras = new TreeSet<>();
    if (list == null) {
      return extras;
    }
    for (String extra : list.split(",", -1)) {
      if (!extra.isBlank() && !ProjectNames.isValid(extra.strip())) {
        throw invalid(text, "invalid extra '" + extra.strip() + "'");
      }
      if (!extra.isBlank()) {
        extras.add(extra.strip());
      }
    }
    return extras;
  }

  private static InvalidRequirementException invalid(String text, String why) {
    return new InvalidRequirementException("Invalid requirement '" + text.strip() + "': " + why);
  }

  /** The normalised project name. */
  public String key() {
    return ProjectNames.normalize(name);
  }

  /** Whether the requirement applies in {@code environment} when installed with {@code extras}. */
  public boolean appliesTo(MarkerEnvironment environment, Set<String> extras) {
    return marker == null || marker.evaluate(environment, extras);
  }

  /** This requirement with another version specifier. */
  public Requirement withSpecifier(SpecifierSet other) {
    return new Requirement(name, extras, other, url, marker);
  }

  /** The canonical text: normalised name, sorted extras, clauses, URL and marker. */
  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    parts.add(key() + (extras.isEmpty() ? "" : "[" + String.join(",", extras) + "]"));
    if (url != null) {
      parts.add("@ " + Redaction.urls(url));
    } else if (!specifier.isEmpty()) {
      parts.set(0, parts.get(0) + specifier);
    }
    String line = String.join(" ", parts);
    return marker == null ? line : line + (url != null ? " ; " : "; ") + marker;
  }
}
