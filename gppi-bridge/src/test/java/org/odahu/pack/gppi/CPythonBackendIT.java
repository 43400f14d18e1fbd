package org.odahu.pack.gppi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.odahu.pack.gppi.artifact.ModelArtifact;
import org.odahu.pack.gppi.testing.Examples;

class CPythonBackendIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static BackendOptions.Builder options() {
    return BackendOptions.builder().python(Examples.python()).timeout(Duration.ofSeconds(30));
  }

  @Test
  void wineGoldenValue() throws Exception {
    try (ModelArtifact artifact = ModelArtifact.open(Examples.gzipTarball("wine"));
        ModelBackend backend = ModelBackends.create(artifact, options().build())) {
      backend.start().toCompletableFuture().get();
      PredictionInput input =
          PredictionInput.parse(Files.readAllBytes(Examples.data("wine-request.json")));
      Prediction prediction = backend.predict(input).toCompletableFuture().get();
      JsonNode answer = JSON.readTree(prediction.toResponseJson());
      assertEquals(Examples.WINE_GOLDEN, answer.get("prediction").get(0).asDouble(), 1e-9);
      assertEquals("[\"quality\"]", answer.get("columns").toString());
      assertTrue(backend.isReady());
    }
  }
}
