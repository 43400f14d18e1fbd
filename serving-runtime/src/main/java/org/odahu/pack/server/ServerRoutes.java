package org.odahu.pack.server;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.odahu.pack.gppi.ModelBackend;
import org.odahu.pack.server.http.ApiResponse;
import org.odahu.pack.server.http.Feedback;
import org.odahu.pack.server.http.Health;
import org.odahu.pack.server.http.ModelIdentity;
import org.odahu.pack.server.http.PredictionPipeline;
import org.odahu.pack.server.http.Route;
import org.odahu.pack.server.http.Router;
import org.odahu.pack.server.http.Service;
import org.odahu.pack.server.odahu.ModelInfo;
import org.odahu.pack.server.odahu.OdahuCodec;

/**
 * Every route the model server answers, in one place. A route is a method, a path template and a
 * service; an API is a family of routes with one {@link Route.Api} (error format, model headers)
 * whose predictions go through the shared {@link PredictionPipeline} with the API's codec.
 */
public final class ServerRoutes {
  private static final String METRICS_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private ServerRoutes() {}

  /**
   * The router of a server of {@code model}.
   *
   * @param feedback ODAHU's feedback collector for {@code model}
   */
  public static Router router(
      ModelBackend backend,
      ModelIdentity model,
      PredictionPipeline pipeline,
      Health health,
      PrometheusMeterRegistry registry,
      Feedback feedback) {
    OdahuCodec odahu = new OdahuCodec();
    Route.Api server = new Route.Api("server", odahu, false);
    Route.Api odahuModel = new Route.Api("odahu", odahu, true);
    return Router.builder(server)
        .route("GET", "/healthcheck", server, health::healthcheck)
        .route("GET", "/health/live", server, health::live)
        .route("GET", "/health/ready", server, health::ready)
        .route("GET", "/metrics", server, metrics(registry))
        .route("GET", "/api/model/info", odahuModel, new ModelInfo(backend, model))
        .route("POST", "/api/model/invoke", odahuModel, pipeline.service(odahu))
        .route("POST", "/api/v1/feedback/*", server, feedback(feedback))
        .build();
  }

  /** {@code GET /metrics}: the registry in Prometheus' text format. */
  private static Service metrics(PrometheusMeterRegistry registry) {
    return request ->
        CompletableFuture.completedFuture(
            new ApiResponse(
                200, registry.scrape().getBytes(StandardCharsets.UTF_8), METRICS_TYPE, Map.of()));
  }

  /**
   * ODAHU's feedback collector, {@code POST /api/v1/feedback/*any}: answered once its record is
   * stored or lost.
   */
  private static Service feedback(Feedback feedback) {
    return request -> feedback.handle(request::header, request.body());
  }
}
