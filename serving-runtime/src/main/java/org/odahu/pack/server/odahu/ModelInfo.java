package org.odahu.pack.server.odahu;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.odahu.pack.gppi.ModelBackend;
import org.odahu.pack.server.http.ApiRequest;
import org.odahu.pack.server.http.ApiResponse;
import org.odahu.pack.server.http.ModelIdentity;
import org.odahu.pack.server.http.Service;

/**
 * {@code GET /api/model/info}: ODAHU's Swagger document of the model, rendered from the model's
 * {@code info()} on first use and then kept.
 */
public final class ModelInfo implements Service {
  private final ModelBackend backend;
  private final ModelIdentity model;
  private final AtomicReference<byte[]> rendered = new AtomicReference<>();

  public ModelInfo(ModelBackend backend, ModelIdentity model) {
    this.backend = backend;
    this.model = model;
  }

  @Override
  public CompletionStage<ApiResponse> serve(ApiRequest request) {
    byte[] cached = rendered.get();
    if (cached != null) {
      return CompletableFuture.completedFuture(ApiResponse.json(200, cached));
    }
    return backend
        .info()
        .thenApply(
            schema -> {
              byte[] swagger = SwaggerDocument.render(schema, model.name(), model.version());
              rendered.compareAndSet(null, swagger);
              return ApiResponse.json(200, swagger);
            });
  }
}
