package org.odahu.pack.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.odahu.pack.gppi.BackendOptions;
import org.odahu.pack.gppi.InvalidOptionsException;
import org.odahu.pack.server.http.HttpLimits;

class ServerConfigTest {
  @Test
  void everyProblemIsReportedAtOnceByItsFlagIncludingTheBackendsOwn() {
    InvalidOptionsException error =
        assertThrows(
            InvalidOptionsException.class,
            () ->
                ServerConfig.builder(Path.of("model.zip"))
                    .port(-1)
                    .prohibitedHeaders(null)
                    .maxBatchRows(0)
                    .maxBatchDelay(Duration.ofMillis(-1))
                    .workers(0)
                    .timeout(Duration.ZERO)
                    .queueCapacity(0)
                    .startTimeout(Duration.ofSeconds(-5))
                    .build());
    assertEquals(
        "--port must be between 0 and 65535, got -1; --prohibited-headers must be set;"
            + " --max-batch-rows must be at least 1, got 0;"
            + " --max-batch-delay must not be negative, got -1 ms;"
            + " --workers must be at least 1, got 0; --timeout must be positive, got 0;"
            + " --queue-size must be at least 1, got 0; --start-timeout must be positive, got -5",
        error.getMessage());
  }

  @Test
  void theHttpLimitsAreReportedWithEveryOtherProblem() {
    InvalidOptionsException error =
        assertThrows(
            InvalidOptionsException.class,
            () ->
                ServerConfig.builder(Path.of("model.zip"))
                    .port(-1)
                    .workers(0)
                    .maxConnections(0)
                    .requestReadTimeout(Duration.ZERO)
                    .maxBufferedBytes(-1)
                    .build());
    assertEquals(
        "--port must be between 0 and 65535, got -1; --workers must be at least 1, got 0;"
            + " --max-connections must be at least 1, got 0;"
            + " --request-read-timeout must be positive, got PT0S;"
            + " --max-buffered-bytes must not be negative, got -1",
        error.getMessage());
  }

  @Test
  void theHttpLimitsDefaultToTheirConstants() {
    HttpLimits limits = ServerConfig.builder(Path.of("m.zip")).build().httpLimits();
    assertEquals(HttpLimits.DEFAULT_MAX_CONNECTIONS, limits.maxConnections());
    assertEquals(
        Duration.ofSeconds(HttpLimits.DEFAULT_REQUEST_READ_TIMEOUT_SECONDS),
        limits.requestReadTimeout());
    assertEquals(HttpLimits.DEFAULT_MAX_BUFFERED_BYTES, limits.maxBufferedBytes());
  }

  @Test
  void aHostThatDoesNotResolveIsRefusedBeforeTheModelStarts() {
    InvalidOptionsException error =
        assertThrows(
            InvalidOptionsException.class,
            () -> ServerConfig.builder(Path.of("m.zip")).host("999.1.1.1").build());
    assertEquals(
        "--host must be an IP address or a name that resolves, got '999.1.1.1'",
        error.getMessage());
    ServerConfig.builder(Path.of("m.zip")).host("::1").build();
  }

  @Test
  void anUnknownRuntimeIsRefusedByFlag() {
    InvalidOptionsException error =
        assertThrows(
            InvalidOptionsException.class,
            () -> ServerConfig.builder(Path.of("m.zip")).runtime("pypy").build());
    assertEquals("--runtime must be cpython or graalpy, got pypy", error.getMessage());
  }

  @Test
  void theModelSettingsAreTheBackendDefaultsAndBatchingIsOff() {
    ServerConfig config = ServerConfig.builder(Path.of("m.zip")).build();
    assertEquals(BackendOptions.builder().build().python(), config.backend().python());
    assertEquals(BackendOptions.builder().build().timeout(), config.backend().timeout());
    assertFalse(config.backend().batching().enabled());
  }
}
