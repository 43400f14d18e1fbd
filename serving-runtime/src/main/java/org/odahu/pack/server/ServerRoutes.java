package org.odahu.pack.server;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicReference;
import org.odahu.pack.gppi.ModelBackend;
import org.odahu.pack.server.cors.Cors;
import org.odahu.pack.server.http.Feedback;
import org.odahu.pack.server.http.Health;
import org.odahu.pack.server.http.ModelIdentity;
import org.odahu.pack.server.http.PredictionPipeline;
import org.odahu.pack.server.http.Route;
import org.odahu.pack.server.http.Router;
import org.odahu.pack.server.http.Service;
import org.odahu.pack.server.metrics.MetricsEndpoint;
import org.odahu.pack.server.mlflow.MlflowScoring;
import org.odahu.pack.server.odahu.ModelInfo;
import org.odahu.pack.server.odahu.OdahuCodec;
import org.odahu.pack.server.openapi.DocsPage;
import org.odahu.pack.server.openapi.OpenApi;
import org.odahu.pack.server.schema.ModelSchemas;
import org.odahu.pack.server.v2.OpenInference;

/**
 * Every route the model server answers, in one place. A route is a method, a path template and a
 * service; an API is a family of routes with one {@link Route.Api} (error format, model headers)
 * whose predictions go through the shared {@link PredictionPipeline} with the API's codec. CORS,
 * when on, decorates the whole table.
 */
public final class ServerRoutes {
  private ServerRoutes() {}

  /**
   * The router of a server of {@code model}.
   *
   * @param v2Identity the model as the Open Inference Protocol names it: {@code model}, or the same
   *     model under another name
   * @param feedback ODAHU's feedback collector for {@code model}
   * @param options the docs page, CORS and the version reported
   */
  public static Router router(
      ModelBackend backend,
      ModelIdentity model,
      ModelIdentity v2Identity,
      PredictionPipeline pipeline,
      Health health,
      PrometheusMeterRegistry registry,
      Feedback feedback,
      RouteOptions options) {
    OdahuCodec odahu = new OdahuCodec();
    Route.Api server = new Route.Api("server", odahu, false);
    Route.Api odahuModel = new Route.Api("odahu", odahu, true);
    ModelSchemas schemas = new ModelSchemas(backend);
    OpenInference v2 =
        new OpenInference(v2Identity, schemas, health, pipeline, options.serverVersion());
    Route.Api v2Server = new Route.Api(OpenInference.API, v2.errors(), false);
    Route.Api v2Model = new Route.Api(OpenInference.API, v2.errors(), true);
    MlflowScoring mlflow = new MlflowScoring(health, pipeline, options.serverVersion());
    Route.Api mlflowServer = new Route.Api(MlflowScoring.API, mlflow.errors(), false);
    Route.Api mlflowModel = new Route.Api(MlflowScoring.API, mlflow.errors(), true);
    AtomicReference<Router> served = new AtomicReference<>();
    OpenApi openApi =
        new OpenApi(
            model, v2Identity, schemas, () -> served.get().routes(), options.serverVersion());
    Router.Builder routes =
        Router.builder(server)
            .probe("GET", "/healthcheck", server, health::healthcheck)
            .probe("GET", "/health/live", server, health::live)
            .probe("GET", "/health/ready", server, health::ready)
            .probe("GET", "/metrics", server, new MetricsEndpoint(registry))
            .route("GET", "/api/model/info", odahuModel, new ModelInfo(backend, model))
            .route("POST", "/api/model/invoke", odahuModel, pipeline.service(odahu))
            .route(
                "POST",
                "/api/v1/feedback/*",
                new Route.Api("server", Feedback.ERRORS, false),
                feedback(feedback))
            // Open Inference Protocol (KServe V2), REST.
            .route("GET", "/v2", v2Server, v2.serverMetadata())
            .probe("GET", "/v2/health/live", v2Server, v2.serverLive())
            .probe("GET", "/v2/health/ready", v2Server, v2.serverReady())
            .route("GET", "/v2/models/{name}", v2Model, v2.modelMetadata())
            .route("GET", "/v2/models/{name}/versions/{version}", v2Model, v2.modelMetadata())
            .probe("GET", "/v2/models/{name}/ready", v2Model, v2.modelReady())
            .probe("GET", "/v2/models/{name}/versions/{version}/ready", v2Model, v2.modelReady())
            .route("POST", "/v2/models/{name}/infer", v2Model, v2.infer())
            .route("POST", "/v2/models/{name}/versions/{version}/infer", v2Model, v2.infer())
            // MLflow's scoring server.
            .route("POST", "/invocations", mlflowModel, mlflow.invocations())
            .probe("GET", "/ping", mlflowServer, mlflow.ping())
            .probe("GET", "/health", mlflowServer, mlflow.ping())
            .route("GET", "/version", mlflowServer, mlflow.version())
            // The description of all of the above.
            .route("GET", "/openapi.json", server, openApi.json())
            .route("GET", "/openapi.yaml", server, openApi.yaml());
    if (options.docs()) {
      routes.route("GET", "/docs/*", server, new DocsPage(ForkJoinPool.commonPool()));
    }
    Router router = Cors.apply(routes.build(), options.cors());
    served.set(router);
    return router;
  }

  /**
   * ODAHU's feedback collector, {@code POST /api/v1/feedback/*any}: answered once its record is
   * stored or lost.
   */
  private static Service feedback(Feedback feedback) {
    return request -> feedback.handle(request::header, request.body(), request.memory());
  }
}
