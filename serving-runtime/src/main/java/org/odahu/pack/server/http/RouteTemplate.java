package org.odahu.pack.server.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A path pattern: literal segments, {@code {name}} segments that match any one segment and bind it
 * by name, and a final {@code *} that matches any suffix, none included ({@code /api/v1/feedback/*}
 * matches {@code /api/v1/feedback} and {@code /api/v1/feedback/a/b}). Metrics and logs label
 * requests with the template's {@link #text()}, so their cardinality stays bounded.
 */
public final class RouteTemplate {
  private final String text;
  private final List<String> segments;
  private final boolean anySuffix;

  private RouteTemplate(String text, List<String> segments, boolean anySuffix) {
    this.text = text;
    this.segments = segments;
    this.anySuffix = anySuffix;
  }

  /**
   * Parses a template such as {@code /v2/models/{name}/versions/{version}/infer}.
   *
   * @throws IllegalArgumentException if it does not start with {@code /}, has an empty or malformed
   *     segment, a repeated parameter name, or a {@code *} that is not last
   */
  public static RouteTemplate parse(String text) {
    if (!text.startsWith("/") || text.length() < 2) {
      throw new IllegalArgumentException("a route template is an absolute path: " + text);
    }
    List<String> segments = List.of(text.substring(1).split("/", -1));
    boolean anySuffix = segments.get(segments.size() - 1).equals("*");
    List<String> fixed = anySuffix ? segments.subList(0, segments.size() - 1) : segments;
    Map<String, Boolean> names = new LinkedHashMap<>();
    for (String segment : fixed) {
      boolean parameter = segment.startsWith("{") && segment.endsWith("}");
      if (segment.isEmpty()
          || segment.contains("*")
          || (parameter && segment.length() < 3)
          || (!parameter && (segment.contains("{") || segment.contains("}")))
          || (parameter && names.put(segment, true) != null)) {
        throw new IllegalArgumentException("bad segment \"" + segment + "\" in " + text);
      }
    }
    return new RouteTemplate(text, List.copyOf(fixed), anySuffix);
  }

  /** The template as written, e.g. {@code /api/v1/feedback/*}. */
  public String text() {
    return text;
  }

  /** The bound parameters when {@code path} (decoded segments) matches, else {@code null}. */
  Map<String, String> match(List<String> path) {
    if (anySuffix ? path.size() < segments.size() : path.size() != segments.size()) {
      return null;
    }
    Map<String, String> parameters = Map.of();
    for (int i = 0; i < segments.size(); i++) {
      String segment = segments.get(i);
      String actual = path.get(i);
      if (segment.startsWith("{")) {
        if (actual.isEmpty()) {
          return null;
        }
        if (parameters.isEmpty()) {
          parameters = new LinkedHashMap<>();
        }
        parameters.put(segment.substring(1, segment.length() - 1), actual);
      } else if (!segment.equals(actual)) {
        return null;
      }
    }
    return parameters;
  }

  @Override
  public String toString() {
    return text;
  }
}
