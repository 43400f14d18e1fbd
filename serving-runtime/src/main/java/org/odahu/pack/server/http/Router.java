package org.odahu.pack.server.http;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the route of a request by path template and method. Routes are tried in the order they were
 * added; a path that no route matches is {@link NotFound}, a path matched only for other methods is
 * {@link MethodNotAllowed} (with the methods for {@code Allow}). Immutable.
 */
public final class Router {
  private final List<Route> routes;
  private final Route.Api fallback;

  private Router(List<Route> routes, Route.Api fallback) {
    this.routes = List.copyOf(routes);
    this.fallback = fallback;
  }

  /** A router whose unmatched requests are answered in {@code fallback}'s error format. */
  public static Builder builder(Route.Api fallback) {
    return new Builder(fallback);
  }

  /** The routes, in the order they are tried. */
  public List<Route> routes() {
    return routes;
  }

  /** The API that answers requests no route matches. */
  public Route.Api fallback() {
    return fallback;
  }

  /**
   * How to write the error of a request no route answers: in the format of the first route under
   * the same first path segment ({@code /v2/models} answers 404 as the Open Inference Protocol
   * does, and so does {@code /v2/models/x%zz} its malformed path), else in the fallback's.
   */
  public ErrorEncoder errorsFor(String uri) {
    String first = uri == null ? null : RequestPath.firstSegment(uri);
    if (first != null) {
      for (Route route : routes) {
        if (route.template().text().startsWith("/" + first + "/")
            || route.template().text().equals("/" + first)) {
          return route.api().errors();
        }
      }
    }
    return fallback.errors();
  }

  /** What a request for {@code method} and {@code uri} resolves to. */
  public sealed interface Match permits Found, NotFound, MethodNotAllowed {}

  /** A route answers the request; {@code parameters} are its template's bound values. */
  public record Found(Route route, Map<String, String> parameters) implements Match {}

  /** No route has the path. */
  public record NotFound(String path) implements Match {}

  /** Routes have the path, for other methods; {@code route} is the first of them. */
  public record MethodNotAllowed(Route route, String path, Set<String> allowed) implements Match {}

  /**
   * Resolves a request.
   *
   * @throws RequestPath.MalformedPathException if the path is not validly percent-encoded
   */
  public Match match(String method, String uri) {
    List<String> segments = RequestPath.segments(uri);
    String path = RequestPath.path(uri);
    if (segments == null) {
      return new NotFound(path);
    }
    Route first = null;
    Set<String> allowed = new LinkedHashSet<>();
    for (Route route : routes) {
      Map<String, String> parameters = route.template().match(segments);
      if (parameters == null) {
        continue;
      }
      if (route.allows(method)) {
        return new Found(route, parameters);
      }
      first = first == null ? route : first;
      allowed.add(route.method());
      if (route.method().equals("GET")) {
        allowed.add("HEAD");
      }
    }
    return first == null ? new NotFound(path) : new MethodNotAllowed(first, path, allowed);
  }

  /** Collects routes; see {@link Router}. */
  public static final class Builder {
    private final Route.Api fallback;
    private final List<Route> routes = new ArrayList<>();

    private Builder(Route.Api fallback) {
      this.fallback = fallback;
    }

    /** Adds a route: {@code method} on {@code template}, answered by {@code service}. */
    public Builder route(String method, String template, Route.Api api, Service service) {
      routes.add(new Route(method, RouteTemplate.parse(template), api, service));
      return this;
    }

    /**
     * Adds a route that machines call every few seconds, a health probe or a metrics scrape (see
     * {@link Route#probe()}).
     */
    public Builder probe(String method, String template, Route.Api api, Service service) {
      routes.add(new Route(method, RouteTemplate.parse(template), api, service, true));
      return this;
    }

    public Router build() {
      return new Router(routes, fallback);
    }
  }
}
