package org.odahu.pack.server.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Metrics that describe the server rather than measure it, for joins and ratios in queries: {@code
 * odahu_build_info} and {@code odahu_model_info} (value 1, the facts in labels) and the capacities
 * of its queues.
 *
 * @param modelName the served model's name
 * @param modelVersion the served model's version
 * @param runtime the model runtime, e.g. {@code cpython}
 * @param predictionQueueCapacity predictions that may wait for a worker
 * @param captureQueueCapacity capture records that may wait for the sink; 0 when capture is off
 */
public record ServerInfoMetrics(
    String modelName,
    String modelVersion,
    String runtime,
    int predictionQueueCapacity,
    int captureQueueCapacity)
    implements MeterBinder {

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("odahu.build.info", () -> 1)
        .description("The odahu-pack version and the Java version the server runs on")
        .tag("version", BuildInfo.version())
        .tag("java_version", Runtime.version().toString())
        .register(registry);
    Gauge.builder("odahu.model.info", () -> 1)
        .description("The model the server serves")
        .tag("model_name", modelName)
        .tag("model_version", modelVersion)
        .tag("runtime", runtime)
        .register(registry);
    Gauge.builder("odahu.prediction.queue.capacity", () -> predictionQueueCapacity)
        .description("Predictions that may wait for a worker before new ones get 503")
        .register(registry);
    if (captureQueueCapacity > 0) {
      Gauge.builder("odahu.capture.queue.capacity", () -> captureQueueCapacity)
          .description("Capture records that may wait for the sink before new ones are dropped")
          .register(registry);
    }
  }
}
