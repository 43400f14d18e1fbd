package org.odahu.pack.server.v2;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.odahu.pack.server.http.ApiRequest;
import org.odahu.pack.server.http.ApiResponse;
import org.odahu.pack.server.http.ErrorEncoder;
import org.odahu.pack.server.http.Health;
import org.odahu.pack.server.http.ModelIdentity;
import org.odahu.pack.server.http.PredictionPipeline;
import org.odahu.pack.server.http.RequestRejectedException;
import org.odahu.pack.server.http.Service;
import org.odahu.pack.server.schema.ModelSchemas;

/**
 * The Open Inference Protocol (KServe's V2 inference protocol), REST: server metadata and health,
 * model metadata and readiness, and inference through the shared {@link PredictionPipeline}. The
 * server serves one model, under its name and version; other names and versions are 404. Errors are
 * {@code {"error": "..."}}.
 */
public final class OpenInference {
  /** The name capture records of its requests are tagged with. */
  public static final String API = "v2";

  private final ModelIdentity model;
  private final ModelSchemas schemas;
  private final Health health;
  private final PredictionPipeline pipeline;
  private final String serverVersion;

  /**
   * @param serverVersion the version {@code GET /v2} reports
   */
  public OpenInference(
      ModelIdentity model,
      ModelSchemas schemas,
      Health health,
      PredictionPipeline pipeline,
      String serverVersion) {
    this.model = model;
    this.schemas = schemas;
    this.health = health;
    this.pipeline = pipeline;
    this.serverVersion = serverVersion;
  }

  /** How the protocol writes errors. */
  public ErrorEncoder errors() {
    return V2Json.ERRORS;
  }

  /** {@code GET /v2}: the server's name, version and extensions (none). */
  public Service serverMetadata() {
    byte[] body =
        V2Json.write(
            json -> {
              json.writeStringField("name", "odahu-pack");
              json.writeStringField("version", serverVersion);
              json.writeArrayFieldStart("extensions");
              json.writeEndArray();
            });
    return request -> answer(200, body);
  }

  /** {@code GET /v2/health/live}. */
  public Service serverLive() {
    byte[] body = V2Json.write(json -> json.writeBooleanField("live", true));
    return request -> answer(200, body);
  }

  /** {@code GET /v2/health/ready}: 200 when the model can predict, else 503. */
  public Service serverReady() {
    return request -> {
      boolean ready = health.isReady();
      return answer(
          ready ? 200 : 503, V2Json.write(json -> json.writeBooleanField("ready", ready)));
    };
  }

  /** {@code GET /v2/models/{name}[/versions/{version}]/ready}. */
  public Service modelReady() {
    return request -> {
      checkModel(model, request);
      boolean ready = health.isReady();
      return answer(
          ready ? 200 : 503,
          V2Json.write(
              json -> {
                json.writeStringField("name", model.name());
                json.writeBooleanField("ready", ready);
              }));
    };
  }

  /** {@code GET /v2/models/{name}[/versions/{version}]}: the model's tensors, from its schema. */
  public Service modelMetadata() {
    return request -> {
      checkModel(model, request);
      return schemas
          .get()
          .thenApply(schema -> ApiResponse.json(200, V2Json.modelMetadata(model, schema)));
    };
  }

  /** {@code POST /v2/models/{name}[/versions/{version}]/infer}. */
  public Service infer() {
    return request ->
        schemas
            .get()
            .handle((schema, failure) -> new InferCall(model, schema, failure))
            .thenCompose(call -> pipeline.predict(request, call));
  }

  /**
   * Refuses a request for a model or version this server does not serve.
   *
   * @throws RequestRejectedException 404
   */
  static void checkModel(ModelIdentity model, ApiRequest request) {
    Map<String, String> path = request.pathParameters();
    String name = path.get("name");
    if (name != null && !name.equals(model.name())) {
      throw new RequestRejectedException(
          404,
          "Model \"" + name + "\" is not served here; this server serves \"" + model.name() + "\"");
    }
    String version = path.get("version");
    if (version != null && !version.equals(model.version())) {
      throw new RequestRejectedException(
          404,
          "Model \""
              + model.name()
              + "\" has no version \""
              + version
              + "\"; this server serves version \""
              + model.version()
              + "\"");
    }
  }

  /** Whether a {@code Content-Type} value is JSON's. */
  static boolean isJson(String contentType) {
    int semicolon = contentType.indexOf(';');
    String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
    return type.toLowerCase(Locale.ROOT).equals(ApiResponse.JSON);
  }

  private static CompletionStage<ApiResponse> answer(int status, byte[] body) {
    return CompletableFuture.completedFuture(ApiResponse.json(status, body));
  }
}
