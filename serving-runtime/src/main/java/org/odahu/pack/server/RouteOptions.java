package org.odahu.pack.server;

import java.util.Objects;
import org.odahu.pack.server.cors.CorsPolicy;
import org.odahu.pack.server.metrics.BuildInfo;

/**
 * What the route table holds beyond the APIs every server speaks.
 *
 * @param docs whether {@code GET /docs} (Swagger UI) is served
 * @param cors which browser origins may call the server
 * @param serverVersion the version {@code GET /v2} and {@code GET /version} report
 */
public record RouteOptions(boolean docs, CorsPolicy cors, String serverVersion) {
  /** The docs page on, CORS off, this build's version. */
  public static final RouteOptions DEFAULTS =
      new RouteOptions(true, CorsPolicy.DISABLED, BuildInfo.version());

  public RouteOptions {
    Objects.requireNonNull(cors, "cors");
    Objects.requireNonNull(serverVersion, "serverVersion");
  }
}
