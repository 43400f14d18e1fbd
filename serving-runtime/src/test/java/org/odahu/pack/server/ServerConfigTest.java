package org.odahu.pack.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ServerConfigTest {
  @Test
  void missingBatchingAndProhibitedHeadersAreReportedByFlag() {
    IllegalArgumentException error =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ServerConfig.builder(Path.of("model.zip"))
                    .batching(null)
                    .prohibitedHeaders(null)
                    .build());
    assertEquals(
        "--batching: a batching policy is required; --prohibited-headers must not be null",
        error.getMessage());
  }
}
