package org.odahu.pack.server.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.odahu.pack.gppi.ModelSchema;
import org.odahu.pack.server.http.ApiResponse;
import org.odahu.pack.server.http.ModelIdentity;
import org.odahu.pack.server.http.Route;
import org.odahu.pack.server.http.Service;
import org.odahu.pack.server.schema.ModelSchemas;

/**
 * {@code GET /openapi.json} and {@code GET /openapi.yaml}: the {@link OpenApiDocument} of the
 * server, rendered once the model's schema is known and then kept.
 */
public final class OpenApi {
  private static final YAMLMapper YAML =
      YAMLMapper.builder()
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
          .build();

  private final ModelIdentity model;
  private final ModelIdentity v2Model;
  private final ModelSchemas schemas;
  private final Supplier<List<Route>> routes;
  private final String serverVersion;
  private final AtomicReference<Rendered> rendered = new AtomicReference<>();

  /** The rendered document; its arrays are never handed out, only copies. */
  @SuppressWarnings("ArrayRecordComponent")
  private record Rendered(byte[] json, byte[] yaml) {}

  /**
   * @param v2Model the model as the Open Inference Protocol's paths name it
   * @param routes the routes the server serves, asked for when the document is first rendered
   */
  public OpenApi(
      ModelIdentity model,
      ModelIdentity v2Model,
      ModelSchemas schemas,
      Supplier<List<Route>> routes,
      String serverVersion) {
    this.model = model;
    this.v2Model = v2Model;
    this.schemas = schemas;
    this.routes = routes;
    this.serverVersion = serverVersion;
  }

  /** {@code GET /openapi.json}. */
  public Service json() {
    return request ->
        rendered().thenApply(document -> ApiResponse.json(200, document.json().clone()));
  }

  /** {@code GET /openapi.yaml}. */
  public Service yaml() {
    return request ->
        rendered()
            .thenApply(
                document ->
                    new ApiResponse(
                        200, document.yaml().clone(), "application/yaml; charset=utf-8", Map.of()));
  }

  /** The document as a tree, for tests and tools. */
  public CompletionStage<ObjectNode> document() {
    return schemas.get().thenApply(this::build);
  }

  private ObjectNode build(ModelSchema schema) {
    return OpenApiDocument.build(model, v2Model, schema, routes.get(), serverVersion);
  }

  private CompletionStage<Rendered> rendered() {
    Rendered known = rendered.get();
    if (known != null) {
      return java.util.concurrent.CompletableFuture.completedFuture(known);
    }
    return schemas
        .get()
        .thenApply(
            schema -> {
              ObjectNode document = build(schema);
              try {
                Rendered fresh =
                    new Rendered(
                        Tree.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(document),
                        YAML.writeValueAsBytes(document));
                rendered.compareAndSet(null, fresh);
                return fresh;
              } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
              }
            });
  }
}
