package org.odahu.pack.server.http;

import java.util.Locale;

/**
 * One route: a method and a path template answered by a service, and the API it belongs to (whose
 * error format and headers its responses get).
 *
 * @param method the method, e.g. {@code POST}; a {@code GET} route also answers {@code HEAD}
 * @param template the path template
 * @param api the API the route belongs to
 * @param service what answers it
 * @param probe whether machines call it every few seconds (a health probe, a metrics scrape): its
 *     successful requests stay out of the access log unless asked for
 */
public record Route(
    String method, RouteTemplate template, Api api, Service service, boolean probe) {
  public Route {
    method = method.toUpperCase(Locale.ROOT);
  }

  /** A route that is not a {@linkplain #probe() probe}. */
  public Route(String method, RouteTemplate template, Api api, Service service) {
    this(method, template, api, service, false);
  }

  /** Whether the route answers {@code requested}. */
  boolean allows(String requested) {
    return method.equals(requested) || (method.equals("GET") && requested.equals("HEAD"));
  }

  /**
   * An API: a family of routes sharing an error format and response headers.
   *
   * @param name a name for logs, e.g. {@code odahu}
   * @param errors how its errors are written
   * @param modelHeaders whether its responses carry {@code Model-Name} and {@code Model-Version}
   */
  public record Api(String name, ErrorEncoder errors, boolean modelHeaders) {}
}
