package org.odahu.pack.server.openapi;

import static org.odahu.pack.server.openapi.Tree.array;
import static org.odahu.pack.server.openapi.Tree.object;
import static org.odahu.pack.server.openapi.Tree.ref;
import static org.odahu.pack.server.openapi.Tree.response;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import org.odahu.pack.gppi.ModelSchema;
import org.odahu.pack.server.http.ModelIdentity;
import org.odahu.pack.server.http.Route;

/**
 * The OpenAPI operation of each route the server serves: what it takes and answers. A route this
 * table does not know still appears, with a bare description.
 */
final class Operations {
  static final String ODAHU = "ODAHU";
  static final String V2 = "Open Inference Protocol";
  static final String MLFLOW = "MLflow scoring";
  static final String SERVER = "Server";

  private final ModelIdentity model;
  private final ModelSchema schema;

  Operations(ModelIdentity model, ModelSchema schema) {
    this.model = model;
    this.schema = schema;
  }

  /** The OpenAPI path of a route template: a final {@code *} (any suffix) is dropped. */
  static String path(Route route) {
    String template = route.template().text();
    return template.endsWith("/*") ? template.substring(0, template.length() - 2) : template;
  }

  /** The operation object of {@code route}. */
  ObjectNode operation(Route route) {
    String template = route.template().text();
    ObjectNode operation =
        switch (route.method() + " " + template) {
          case "POST /api/model/invoke" -> ModelOperations.odahuInvoke(schema);
          case "GET /api/model/info" ->
              get(
                  ODAHU,
                  "odahuInfo",
                  "ODAHU's Swagger 2.0 document of the model",
                  "ModelInfoDocument");
          case "GET /healthcheck" ->
              get(SERVER, "healthcheck", "ODAHU's probe: 200 while ready, else 503", "HealthCheck")
                  .put("description", "{\"status\":true} while the model is ready");
          case "GET /health/live" ->
              get(SERVER, "live", "Liveness: the process answers", "HealthCheck");
          case "GET /health/ready" ->
              withUnavailable(
                  get(
                      SERVER,
                      "ready",
                      "Readiness: 200 only while every worker is ready",
                      "Readiness"),
                  "Readiness");
          case "GET /metrics" -> text(SERVER, "metrics", "Prometheus metrics", "text/plain");
          case "POST /api/v1/feedback/*" -> ModelOperations.feedback();
          case "GET /v2" -> get(V2, "v2ServerMetadata", "Server metadata", "V2ServerMetadata");
          case "GET /v2/health/live" -> get(V2, "v2ServerLive", "Server live", "V2ServerLive");
          case "GET /v2/health/ready" ->
              withUnavailable(
                  get(V2, "v2ServerReady", "Server ready", "V2ServerReady"), "V2ServerReady");
          case "GET /v2/models/{name}" ->
              modelGet("v2ModelMetadata", "Model metadata", "V2ModelMetadata", false);
          case "GET /v2/models/{name}/versions/{version}" ->
              modelGet(
                  "v2ModelVersionMetadata", "Model metadata (version)", "V2ModelMetadata", true);
          case "GET /v2/models/{name}/ready" ->
              modelGet("v2ModelReady", "Model ready", "V2ModelReady", false);
          case "GET /v2/models/{name}/versions/{version}/ready" ->
              modelGet("v2ModelVersionReady", "Model ready (version)", "V2ModelReady", true);
          case "POST /v2/models/{name}/infer" ->
              ModelOperations.infer(model, schema, "v2Infer", false);
          case "POST /v2/models/{name}/versions/{version}/infer" ->
              ModelOperations.infer(model, schema, "v2InferVersion", true);
          case "POST /invocations" -> ModelOperations.invocations(schema);
          case "GET /ping" -> ping("mlflowPing");
          case "GET /health" -> ping("mlflowHealth");
          case "GET /version" ->
              text(MLFLOW, "mlflowVersion", "This server's version", "text/plain");
          case "GET /openapi.json" ->
              text(SERVER, "openapiJson", "This document, JSON", "application/json");
          case "GET /openapi.yaml" ->
              text(SERVER, "openapiYaml", "This document, YAML", "application/yaml");
          case "GET /docs/*" -> text(SERVER, "docs", "This document in Swagger UI", "text/html");
          default -> bare(route);
        };
    return operation;
  }

  private static ObjectNode get(String tag, String id, String summary, String schemaName) {
    return object(
        "tags",
        array(tag),
        "operationId",
        id,
        "summary",
        summary,
        "responses",
        object("200", response("OK", ref(schemaName))));
  }

  private static ObjectNode withUnavailable(ObjectNode operation, String schemaName) {
    ((ObjectNode) operation.get("responses")).set("503", response("Not ready", ref(schemaName)));
    return operation;
  }

  private static ObjectNode text(String tag, String id, String summary, String mediaType) {
    return object(
        "tags",
        array(tag),
        "operationId",
        id,
        "summary",
        summary,
        "responses",
        object(
            "200",
            object(
                "description",
                "OK",
                "content",
                object(mediaType, object("schema", object("type", "string"))))));
  }

  private ObjectNode modelGet(String id, String summary, String schemaName, boolean version) {
    ObjectNode operation = get(V2, id, summary, schemaName);
    operation.set("parameters", ModelOperations.pathParameters(model, version));
    ObjectNode responses = (ObjectNode) operation.get("responses");
    responses.set("404", response("No such model or version", ref("V2Error")));
    if (schemaName.equals("V2ModelReady")) {
      responses.set("503", response("Not ready", ref(schemaName)));
    }
    return operation;
  }

  private static ObjectNode ping(String id) {
    return object(
        "tags",
        array(MLFLOW),
        "operationId",
        id,
        "summary",
        "Health: 200 with an empty line while the model is ready",
        "responses",
        object(
            "200", response("Ready", object("type", "string")),
            "503", response("Not ready", ref("MlflowError"))));
  }

  private static ObjectNode bare(Route route) {
    String id =
        route.method().toLowerCase(Locale.ROOT)
            + route.template().text().replaceAll("[^A-Za-z0-9]+", "_");
    return object(
        "operationId",
        id,
        "summary",
        route.method() + " " + route.template().text(),
        "responses",
        object("default", object("description", "See the README")));
  }
}
