package org.odahu.pack.server.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.odahu.pack.server.http.ApiRequest;
import org.odahu.pack.server.http.ApiResponse;
import org.odahu.pack.server.http.Service;

/**
 * {@code GET /metrics}: the registry in the format the scraper asks for ({@link MetricsFormat}).
 * Reading the meters touches only memory and {@code /proc}, so it runs on the I/O thread.
 */
public final class MetricsEndpoint implements Service {
  private final PrometheusMeterRegistry registry;

  public MetricsEndpoint(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public CompletionStage<ApiResponse> serve(ApiRequest request) {
    MetricsFormat format = MetricsFormat.negotiate(request.header("Accept"));
    byte[] body = registry.scrape(format.contentType()).getBytes(StandardCharsets.UTF_8);
    return CompletableFuture.completedFuture(
        new ApiResponse(200, body, format.contentType(), Map.of("Vary", "Accept")));
  }
}
