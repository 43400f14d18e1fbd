package org.odahu.pack.server.odahu;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.odahu.pack.server.http.ApiRequest;
import org.odahu.pack.server.http.ApiResponse;
import org.odahu.pack.server.http.ModelIdentity;
import org.odahu.pack.server.http.Service;
import org.odahu.pack.server.schema.ModelSchemas;

/**
 * {@code GET /api/model/info}: ODAHU's Swagger document of the model, rendered from the model's
 * {@code info()} on first use and then kept. While the model starts it is refused at once (503), as
 * the other routes that describe the model are, rather than waiting up to {@code --timeout}.
 */
public final class ModelInfo implements Service {
  private final ModelSchemas schemas;
  private final ModelIdentity model;
  private final AtomicReference<byte[]> rendered = new AtomicReference<>();

  public ModelInfo(ModelSchemas schemas, ModelIdentity model) {
    this.schemas = schemas;
    this.model = model;
  }

  @Override
  public CompletionStage<ApiResponse> serve(ApiRequest request) {
    byte[] cached = rendered.get();
    if (cached != null) {
      return CompletableFuture.completedFuture(ApiResponse.json(200, cached));
    }
    return schemas
        .get()
        .thenApply(
            schema -> {
              byte[] swagger = SwaggerDocument.render(schema, model.name(), model.version());
              rendered.compareAndSet(null, swagger);
              return ApiResponse.json(200, swagger);
            });
  }
}
