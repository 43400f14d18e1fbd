package org.odahu.pack.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.odahu.pack.gppi.BackendOptions;
import org.odahu.pack.gppi.BatchingPolicy;
import org.odahu.pack.server.http.HttpLimits;

/**
 * Everything the model server is configured with, built once from flags and environment.
 *
 * @param artifact the model artifact (directory or archive)
 * @param host the address to bind
 * @param port the port to bind ({@code 0} picks a free one)
 * @param timeout the most one prediction may take (ODAHU's gunicorn {@code --timeout})
 * @param workers Python workers, each running the model's {@code init()} once
 * @param ioThreads Netty I/O threads (ODAHU's {@code threads}: how many connections are served
 *     concurrently; model calls never run on them)
 * @param maxBodyBytes the largest request body; larger ones get 413
 * @param queueCapacity predictions that may wait for a worker; beyond it requests get 503
 * @param batching how queued requests are merged into model calls
 * @param captureDir where request/response and feedback records go; {@code null} disables capture
 * @param captureQueueCapacity records that may wait for the disk before new ones are dropped
 * @param prohibitedHeaders request and response headers never stored in capture records
 * @param modelName the model name reported in headers and swagger; {@code null}: the manifest's
 * @param modelVersion the model version likewise
 * @param runtime {@code "cpython"} or {@code "graalpy"}
 * @param python the interpreter of CPython workers
 * @param startTimeout the most a worker may take to import the model and run {@code init()}
 * @param accessLog whether to write one access log line per request
 * @param httpLimits connections, request time and buffered bodies the HTTP edge allows
 */
public record ServerConfig(
    Path artifact,
    String host,
    int port,
    Duration timeout,
    int workers,
    int ioThreads,
    int maxBodyBytes,
    int queueCapacity,
    BatchingPolicy batching,
    Path captureDir,
    int captureQueueCapacity,
    Set<String> prohibitedHeaders,
    String modelName,
    String modelVersion,
    String runtime,
    Path python,
    Duration startTimeout,
    boolean accessLog,
    HttpLimits httpLimits) {

  /** ODAHU's rq-catcher default: headers that carry credentials or identities. */
  public static final Set<String> DEFAULT_PROHIBITED_HEADERS =
      Set.of("authorization", "x-jwt", "x-user", "x-email");

  public ServerConfig {
    List<String> problems = new ArrayList<>();
    if (artifact == null) {
      problems.add("ARTIFACT: a model artifact is required");
    }
    if (host == null || host.isBlank()) {
      problems.add("--host must not be empty");
    }
    if (port < 0 || port > 65535) {
      problems.add("--port must be between 0 and 65535, got " + port);
    }
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      problems.add("--timeout must be positive, got " + timeout);
    }
    if (workers < 1) {
      problems.add("--workers must be at least 1, got " + workers);
    }
    if (ioThreads < 1) {
      problems.add("--threads must be at least 1, got " + ioThreads);
    }
    if (maxBodyBytes < 1) {
      problems.add("--max-body-size must be positive, got " + maxBodyBytes);
    }
    if (queueCapacity < 1) {
      problems.add("--queue-size must be at least 1, got " + queueCapacity);
    }
    if (batching == null) {
      problems.add("--batching: a batching policy is required");
    }
    if (captureQueueCapacity < 1) {
      problems.add("--capture-queue-size must be at least 1, got " + captureQueueCapacity);
    }
    if (prohibitedHeaders == null) {
      problems.add("--prohibited-headers must not be null");
    }
    if (!BackendOptions.CPYTHON.equals(runtime) && !BackendOptions.GRAALPY.equals(runtime)) {
      problems.add("--runtime must be cpython or graalpy, got " + runtime);
    }
    if (startTimeout == null || startTimeout.isNegative() || startTimeout.isZero()) {
      problems.add("--start-timeout must be positive, got " + startTimeout);
    }
    if (httpLimits == null) {
      problems.add("HTTP limits are required");
    } else if (httpLimits.maxBufferedBytes() > 0 && httpLimits.maxBufferedBytes() < maxBodyBytes) {
      problems.add(
          "--max-buffered-bytes must be at least --max-body-size ("
              + maxBodyBytes
              + "), got "
              + httpLimits.maxBufferedBytes());
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    prohibitedHeaders =
        prohibitedHeaders.stream()
            .map(h -> h.trim().toLowerCase(Locale.ROOT))
            .filter(h -> !h.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
  }

  /** The backend options these settings imply. */
  public BackendOptions backendOptions() {
    return BackendOptions.builder()
        .runtime(runtime)
        .python(python)
        .workers(workers)
        .timeout(timeout)
        .queueCapacity(queueCapacity)
        .batching(batching)
        .startTimeout(startTimeout)
        .maxFrameBytes(Math.max(maxBodyBytes * 2, 64 << 20))
        .build();
  }

  /**
   * A builder with ODAHU's defaults (host 0.0.0.0, port 5000, timeout 60 s, 1 worker, 4 threads).
   */
  public static Builder builder(Path artifact) {
    return new Builder(artifact);
  }

  /** A builder starting from these settings. */
  public Builder toBuilder() {
    Builder builder = new Builder(artifact);
    builder.host = host;
    builder.port = port;
    builder.timeout = timeout;
    builder.workers = workers;
    builder.ioThreads = ioThreads;
    builder.maxBodyBytes = maxBodyBytes;
    builder.queueCapacity = queueCapacity;
    builder.batching = batching;
    builder.captureDir = captureDir;
    builder.captureQueueCapacity = captureQueueCapacity;
    builder.prohibitedHeaders = prohibitedHeaders;
    builder.modelName = modelName;
    builder.modelVersion = modelVersion;
    builder.runtime = runtime;
    builder.python = python;
    builder.startTimeout = startTimeout;
    builder.accessLog = accessLog;
    builder.httpLimits = httpLimits;
    return builder;
  }

  /** Builds a {@link ServerConfig}; {@link #build()} validates every field at once. */
  public static final class Builder {
    private final Path artifact;
    private String host = "0.0.0.0";
    private int port = 5000;
    private Duration timeout = Duration.ofSeconds(60);
    private int workers = 1;
    private int ioThreads = 4;
    private int maxBodyBytes = 32 << 20;
    private int queueCapacity = 1024;
    private BatchingPolicy batching = BatchingPolicy.DEFAULT;
    private Path captureDir;
    private int captureQueueCapacity = 10_000;
    private Set<String> prohibitedHeaders = DEFAULT_PROHIBITED_HEADERS;
    private String modelName;
    private String modelVersion;
    private String runtime = BackendOptions.CPYTHON;
    private Path python = Path.of("/usr/bin/python3");
    private Duration startTimeout = Duration.ofMinutes(5);
    private boolean accessLog = true;
    private HttpLimits httpLimits = HttpLimits.DEFAULTS;

    private Builder(Path artifact) {
      this.artifact = artifact;
    }

    public Builder host(String host) {
      this.host = host;
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    public Builder workers(int workers) {
      this.workers = workers;
      return this;
    }

    public Builder ioThreads(int ioThreads) {
      this.ioThreads = ioThreads;
      return this;
    }

    public Builder maxBodyBytes(int maxBodyBytes) {
      this.maxBodyBytes = maxBodyBytes;
      return this;
    }

    public Builder queueCapacity(int queueCapacity) {
      this.queueCapacity = queueCapacity;
      return this;
    }

    public Builder batching(BatchingPolicy batching) {
      this.batching = batching;
      return this;
    }

    public Builder captureDir(Path captureDir) {
      this.captureDir = captureDir;
      return this;
    }

    public Builder captureQueueCapacity(int captureQueueCapacity) {
      this.captureQueueCapacity = captureQueueCapacity;
      return this;
    }

    public Builder prohibitedHeaders(Set<String> prohibitedHeaders) {
      this.prohibitedHeaders = prohibitedHeaders;
      return this;
    }

    public Builder modelName(String modelName) {
      this.modelName = modelName;
      return this;
    }

    public Builder modelVersion(String modelVersion) {
      this.modelVersion = modelVersion;
      return this;
    }

    public Builder runtime(String runtime) {
      this.runtime = runtime;
      return this;
    }

    public Builder python(Path python) {
      this.python = python;
      return this;
    }

    public Builder startTimeout(Duration startTimeout) {
      this.startTimeout = startTimeout;
      return this;
    }

    public Builder accessLog(boolean accessLog) {
      this.accessLog = accessLog;
      return this;
    }

    public Builder httpLimits(HttpLimits httpLimits) {
      this.httpLimits = httpLimits;
      return this;
    }

    public ServerConfig build() {
      return new ServerConfig(
          artifact,
          host,
          port,
          timeout,
          workers,
          ioThreads,
          maxBodyBytes,
          queueCapacity,
          batching,
          captureDir,
          captureQueueCapacity,
          prohibitedHeaders,
          modelName,
          modelVersion,
          runtime,
          python,
          startTimeout,
          accessLog,
          httpLimits);
    }
  }
}
