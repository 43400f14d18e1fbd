package org.odahu.pack.server.cors;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Which browser origins may call the server ({@code --cors-origins}): none (CORS off, the default),
 * a list of origins such as {@code https://app.example.com}, or {@code *} for any.
 *
 * @param origins the allowed origins, as {@code scheme://host[:port]}, or {@code *}
 */
public record CorsPolicy(List<String> origins) {
  /** No origin: CORS off. */
  public static final CorsPolicy DISABLED = new CorsPolicy(List.of());

  private static final Pattern ORIGIN = Pattern.compile("https?://[^/\\s?#]+");

  /**
   * @throws IllegalArgumentException if an origin is neither {@code *} nor {@code
   *     scheme://host[:port]}
   */
  public CorsPolicy {
    origins = List.copyOf(origins);
    for (String origin : origins) {
      String problem = problem(origin);
      if (problem != null) {
        throw new IllegalArgumentException(problem);
      }
    }
  }

  /** What is wrong with {@code origin} as an allowed origin, or null when nothing is. */
  public static String problem(String origin) {
    if (origin.equals("*") || ORIGIN.matcher(origin).matches()) {
      return null;
    }
    return "\""
        + origin
        + "\" is not an origin: write scheme://host[:port] (no path, no trailing slash), or *";
  }

  /** Whether CORS is on. */
  public boolean enabled() {
    return !origins.isEmpty();
  }

  /** Whether a browser page of {@code origin} may call the server. */
  public boolean allows(String origin) {
    if (origin == null) {
      return false;
    }
    for (String allowed : origins) {
      if (allowed.equals("*") || allowed.equalsIgnoreCase(origin)) {
        return true;
      }
    }
    return false;
  }

  /** The {@code Access-Control-Allow-Origin} value for an allowed {@code origin}. */
  String allowOrigin(String origin) {
    return origins.contains("*") ? "*" : origin;
  }
}
