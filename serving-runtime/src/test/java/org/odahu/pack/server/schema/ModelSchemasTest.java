package org.odahu.pack.server.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.odahu.pack.gppi.BackendNotReadyException;
import org.odahu.pack.gppi.ModelSchema;
import org.odahu.pack.server.testing.InMemoryBackend;

class ModelSchemasTest {
  private static final ModelSchema SCHEMA = new ModelSchema(List.of(), List.of());

  @Test
  void whileTheModelStartsTheSchemaIsRefusedAtOnceNotAwaited() {
    InMemoryBackend backend = new InMemoryBackend().schema(SCHEMA).ready(false, "importing");
    ModelSchemas schemas = new ModelSchemas(backend);
    CompletionException failure =
        assertThrows(CompletionException.class, () -> schemas.get().toCompletableFuture().join());
    BackendNotReadyException notReady =
        assertInstanceOf(BackendNotReadyException.class, failure.getCause());
    assertEquals("importing", notReady.getMessage());
    backend.ready(true, null);
    assertSame(SCHEMA, schemas.get().toCompletableFuture().join());
    // Once known, it is answered even while a worker restarts.
    backend.ready(false, "restarting");
    assertSame(SCHEMA, schemas.get().toCompletableFuture().join());
  }
}
