package org.odahu.pack.server.schema;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.odahu.pack.gppi.BackendNotReadyException;
import org.odahu.pack.gppi.ModelBackend;
import org.odahu.pack.gppi.ModelSchema;

/**
 * The served model's {@code info()} schema, asked of a worker once and then kept: the APIs that
 * describe the model (OIP metadata, OpenAPI) or read tensors by column name need it on every
 * request. A failed call is not kept, so the next request asks again. Thread-safe.
 */
public final class ModelSchemas {
  private final ModelBackend backend;
  private final AtomicReference<ModelSchema> cached = new AtomicReference<>();

  public ModelSchemas(ModelBackend backend) {
    this.backend = backend;
  }

  /**
   * The schema; at once when known, else when a worker has answered {@code info()}. While the model
   * is starting the stage fails at once with {@link BackendNotReadyException} (503), as the ready
   * routes answer, rather than waiting for {@code init()}.
   */
  public CompletionStage<ModelSchema> get() {
    ModelSchema known = cached.get();
    if (known != null) {
      return CompletableFuture.completedFuture(known);
    }
    if (!backend.isReady()) {
      return CompletableFuture.failedFuture(
          new BackendNotReadyException(backend.notReadyReason().orElse("The model is starting")));
    }
    return backend
        .info()
        .thenApply(
            schema -> {
              cached.compareAndSet(null, schema);
              return schema;
            });
  }
}
