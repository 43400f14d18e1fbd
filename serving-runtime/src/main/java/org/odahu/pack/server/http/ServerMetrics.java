package org.odahu.pack.server.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.odahu.pack.gppi.BackendListener;
import org.odahu.pack.gppi.ModelBackend;
import org.odahu.pack.server.capture.Capture;

/**
 * The server's Prometheus metrics, on an injected registry: requests by route and status, latency
 * histograms (whole request, queue wait, model call, response write), batch sizes, workers and
 * capture queue.
 */
public final class ServerMetrics {
  private static final Duration[] LATENCY_BUCKETS = {
    Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
    Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200),
    Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
    Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60)
  };

  /** The methods of RFC 9110 and PATCH; any other token a client sends is labelled "other". */
  private static final Set<String> STANDARD_METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

  private static final double[] BATCH_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};

  private final MeterRegistry registry;
  private final ConcurrentHashMap<String, Counter> requests = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Timer> durations = new ConcurrentHashMap<>();
  private final Timer queueWait;
  private final Timer modelCall;
  private final Timer responseWrite;
  private final DistributionSummary batchRows;
  private final DistributionSummary batchRequests;
  private final Counter droppedModelOutput;

  public ServerMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.queueWait =
        latency("odahu.prediction.queue.wait", "Time predictions wait for a free worker");
    this.modelCall =
        latency("odahu.prediction.model.call", "Time of the model call, transfer included");
    this.responseWrite =
        latency("odahu.http.response.write", "Time to hand a response to the socket");
    this.batchRows =
        DistributionSummary.builder("odahu.batch.size")
            .baseUnit("rows")
            .description("Rows per model call")
            .serviceLevelObjectives(BATCH_BUCKETS)
            .register(registry);
    this.droppedModelOutput =
        Counter.builder("odahu.model.output.dropped")
            .baseUnit("bytes")
            .description("Model output over the per-worker log limit, dropped from the log")
            .register(registry);
    this.batchRequests =
        DistributionSummary.builder("odahu.batch.requests")
            .description("Requests merged into one model call")
            .serviceLevelObjectives(BATCH_BUCKETS)
            .register(registry);
  }

  private Timer latency(String name, String description) {
    return Timer.builder(name)
        .description(description)
        .serviceLevelObjectives(LATENCY_BUCKETS)
        .register(registry);
  }

  /**
   * Gauges over the backend's workers and queue, readiness as {@code health} answers it and, when
   * it is on, capture.
   */
  public void bind(ModelBackend backend, Health health, Capture capture) {
    Gauge.builder("odahu.workers.configured", backend, b -> b.stats().configuredWorkers())
        .description("Model workers the server keeps running")
        .register(registry);
    Gauge.builder("odahu.workers.alive", backend, b -> b.stats().aliveWorkers())
        .description("Model workers alive and initialised")
        .register(registry);
    Gauge.builder("odahu.workers.busy", backend, b -> b.stats().busyWorkers())
        .description("Model workers running a call")
        .register(registry);
    FunctionCounter.builder("odahu.worker.restarts", backend, b -> b.stats().restarts())
        .description("Workers replaced after dying or timing out")
        .register(registry);
    Gauge.builder("odahu.prediction.queue.depth", backend, b -> b.stats().queuedCalls())
        .description("Predictions waiting for a worker")
        .register(registry);
    // What /health/ready answers: during shutdown too, when the workers are still alive.
    Gauge.builder("odahu.model.ready", health, h -> h.isReady() ? 1 : 0)
        .description(
            "1 while the model can serve: every worker initialised once, one alive now, the server"
                + " not shutting down")
        .register(registry);
    if (capture.enabled()) {
      Gauge.builder("odahu.capture.queue.depth", capture, Capture::depth)
          .description("Capture records queued for the capture directory or object storage")
          .register(registry);
      FunctionCounter.builder("odahu.capture.dropped.records", capture, Capture::dropped)
          .description(
              "Capture records lost: the queue or the upload buffer was full, or the disk or the store failed")
          .register(registry);
      FunctionCounter.builder("odahu.capture.written.records", capture, Capture::written)
          .description("Capture records stored: whole lines on disk, or in an uploaded object")
          .register(registry);
      Gauge.builder("odahu.capture.held", capture, Capture::heldBytes)
          .baseUnit("bytes")
          .description(
              "Bytes of capture records waiting for upload to object storage"
                  + " (at most --capture-buffer-size)")
          .register(registry);
    }
  }

  /** Connections open, and those beyond {@code --max-connections} that got no usual answer. */
  public void bindConnections(HttpServer server) {
    Gauge.builder("odahu.http.connections.open", server, HttpServer::connections)
        .description("Connections open and served (those beyond --max-connections not included)")
        .register(registry);
    FunctionCounter.builder(
            "odahu.http.connections.refused", server, HttpServer::refusedConnections)
        .description(
            "Connections beyond --max-connections answered 503 or closed unanswered"
                + " (health probes and scrapes answered as usual not included)")
        .register(registry);
  }

  /** Access-log lines dropped because the console did not keep up or refused them. */
  public void bindAccessLog(AccessLog accessLog) {
    FunctionCounter.builder("odahu.access.log.dropped.lines", accessLog, AccessLog::dropped)
        .description(
            "Access-log lines dropped because stdout did not take them fast enough, or refused"
                + " them")
        .register(registry);
  }

  /** Receives the backend's model calls, for the batch size histograms. */
  public BackendListener backendListener() {
    return new BackendListener() {
      @Override
      public void onModelCall(int requestsInCall, int rows, long callNanos) {
        modelCall.record(callNanos, TimeUnit.NANOSECONDS);
        batchRows.record(rows);
        batchRequests.record(requestsInCall);
      }

      @Override
      public void onQueueWait(long waitNanos) {
        queueWait.record(waitNanos, TimeUnit.NANOSECONDS);
      }

      @Override
      public void onModelOutputDropped(String worker, long lines, long bytes) {
        droppedModelOutput.increment((double) bytes);
      }
    };
  }

  /**
   * One finished request, labelled with its route's template ({@code null}: no route matched);
   * methods outside HTTP's standard ones are labelled {@code other}.
   */
  public void request(String routeTemplate, String method, int status, long nanos) {
    String label = routeTemplate == null ? "unmatched" : routeTemplate;
    String methodLabel = STANDARD_METHODS.contains(method) ? method : "other";
    requests
        .computeIfAbsent(
            label + ' ' + methodLabel + ' ' + status,
            key ->
                Counter.builder("odahu.http.requests")
                    .description("HTTP requests by route, method and status")
                    .tag("route", label)
                    .tag("method", methodLabel)
                    .tag("status", Integer.toString(status))
                    .register(registry))
        .increment();
    // Unmatched requests too: a flood of them takes time the latency panel should show.
    durations
        .computeIfAbsent(
            label,
            route ->
                Timer.builder("odahu.http.server.duration")
                    .description("Time from request to response written, by route")
                    .tag("route", route)
                    .serviceLevelObjectives(LATENCY_BUCKETS)
                    .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** How many model calls were made so far, answered or not. */
  public long modelCalls() {
    return modelCall.count();
  }

  /** How long a response took to be written. */
  public void responseWritten(long nanos) {
    responseWrite.record(nanos, TimeUnit.NANOSECONDS);
  }
}
