package org.odahu.pack.server.http;

import io.netty.handler.codec.http.HttpMethod;

/** The server's routes; metrics and logs label requests with {@link #label()}. */
public enum Route {
  HEALTHCHECK("/healthcheck", "GET", false),
  LIVE("/health/live", "GET", false),
  READY("/health/ready", "GET", false),
  INFO("/api/model/info", "GET", false),
  INVOKE("/api/model/invoke", "POST", false),
  METRICS("/metrics", "GET", false),
  /** ODAHU's feedback collector accepts any suffix: {@code /api/v1/feedback/*any}. */
  FEEDBACK("/api/v1/feedback", "POST", true);

  private final String path;
  private final String method;
  private final boolean prefix;

  Route(String path, String method, boolean prefix) {
    this.path = path;
    this.method = method;
    this.prefix = prefix;
  }

  /** The route serving {@code path} (without query), or {@code null}. */
  public static Route match(String path) {
    for (Route route : values()) {
      if (route.path.equals(path) || (route.prefix && path.startsWith(route.path + "/"))) {
        return route;
      }
    }
    return null;
  }

  /** Whether the route answers {@code method} ({@code HEAD} goes with {@code GET}). */
  public boolean allows(HttpMethod requested) {
    String name = requested.name();
    return method.equals(name) || (method.equals("GET") && name.equals("HEAD"));
  }

  /** The {@code Allow} header of a 405. */
  public String allowHeader() {
    return method.equals("GET") ? "GET, HEAD" : method;
  }

  /** Whether responses carry the model's name and version headers. */
  public boolean isModelApi() {
    return this == INFO || this == INVOKE;
  }

  /** The metrics label, e.g. {@code /api/model/invoke}. */
  public String label() {
    return prefix ? path + "/*" : path;
  }
}
