package org.odahu.pack.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.odahu.pack.gppi.BackendOptions;
import org.odahu.pack.gppi.BatchingPolicy;
import org.odahu.pack.gppi.InvalidOptionsException;
import org.odahu.pack.gppi.InvalidOptionsException.Problem;
import org.odahu.pack.server.capture.CaptureTarget;
import org.odahu.pack.server.capture.s3.S3CaptureOptions;

/**
 * Everything the model server is configured with, built once from flags and environment: the
 * server's own settings and the {@link BackendOptions} of the model it runs. Invalid settings are
 * reported all at once, each by its {@code serve} flag.
 *
 * @param artifact the model artifact (directory or archive)
 * @param host the address to bind
 * @param port the port to bind ({@code 0} picks a free one)
 * @param ioThreads Netty I/O threads (ODAHU's {@code threads}: how many connections are served
 *     concurrently; model calls never run on them)
 * @param maxBodyBytes the largest request body; larger ones get 413
 * @param captureDir where request/response and feedback records go; {@code null} disables capture
 * @param captureQueueCapacity records that may wait for the disk before new ones are dropped
 * @param s3Capture where request/response and feedback records go in object storage; {@code null}
 *     unless {@code --capture-url} is {@code s3://}
 * @param prohibitedHeaders request and response headers never stored in capture records
 * @param modelName the model name reported in headers and swagger; {@code null}: the manifest's
 * @param modelVersion the model version likewise
 * @param accessLog whether to write one access log line per request
 * @param backend how the model runs: runtime, interpreter, workers, timeouts, queue, batching
 */
public record ServerConfig(
    Path artifact,
    String host,
    int port,
    int ioThreads,
    int maxBodyBytes,
    Path captureDir,
    int captureQueueCapacity,
    S3CaptureOptions s3Capture,
    Set<String> prohibitedHeaders,
    String modelName,
    String modelVersion,
    boolean accessLog,
    BackendOptions backend) {

  /** The address bound unless set. */
  public static final String DEFAULT_HOST = "0.0.0.0";

  /** The port bound unless set (ODAHU's). */
  public static final int DEFAULT_PORT = 5000;

  /** Netty I/O threads unless set (ODAHU's gunicorn {@code threads}). */
  public static final int DEFAULT_IO_THREADS = 4;

  /** The largest request body unless set: 32 MiB. */
  public static final int DEFAULT_MAX_BODY_BYTES = 32 << 20;

  /** Capture records that may wait for the disk unless set. */
  public static final int DEFAULT_CAPTURE_QUEUE_CAPACITY = 10_000;

  /** ODAHU's rq-catcher default: headers that carry credentials or identities, comma-separated. */
  public static final String DEFAULT_PROHIBITED_HEADER_LIST = "authorization,x-jwt,x-user,x-email";

  /** {@link #DEFAULT_PROHIBITED_HEADER_LIST} as a set. */
  public static final Set<String> DEFAULT_PROHIBITED_HEADERS =
      Set.of(DEFAULT_PROHIBITED_HEADER_LIST.split(","));

  /** Whether requests are logged unless set. */
  public static final boolean DEFAULT_ACCESS_LOG = true;

  /** The {@code serve} flag of each {@link BackendOptions} and {@link BatchingPolicy} component. */
  private static final Map<String, String> FLAGS =
      Map.of(
          "runtime", "--runtime",
          "python", "--python",
          "workers", "--workers",
          "timeout", "--timeout",
          "queueCapacity", "--queue-size",
          "startTimeout", "--start-timeout",
          "maxFrameBytes", "--max-body-size",
          "maxRows", "--max-batch-rows",
          "maxDelay", "--max-batch-delay");

  /**
   * Checks every setting and reports all problems at once.
   *
   * @throws InvalidOptionsException naming each invalid setting by its flag
   */
  public ServerConfig {
    List<Problem> problems = new ArrayList<>();
    if (artifact == null) {
      problems.add(new Problem("ARTIFACT", "is required: a model artifact"));
    }
    if (host == null || host.isBlank()) {
      problems.add(new Problem("--host", "must not be empty"));
    }
    if (port < 0 || port > 65535) {
      problems.add(new Problem("--port", "must be between 0 and 65535, got " + port));
    }
    if (ioThreads < 1) {
      problems.add(new Problem("--threads", "must be at least 1, got " + ioThreads));
    }
    if (maxBodyBytes < 1) {
      problems.add(new Problem("--max-body-size", "must be positive, got " + maxBodyBytes));
    }
    if (captureQueueCapacity < 1) {
      problems.add(
          new Problem("--capture-queue-size", "must be at least 1, got " + captureQueueCapacity));
    }
    if (captureDir != null && s3Capture != null) {
      problems.add(new Problem("--capture-url", "cannot be used with --capture-dir: choose one"));
    }
    if (prohibitedHeaders == null) {
      problems.add(new Problem("--prohibited-headers", "must be set"));
    }
    if (backend == null) {
      problems.add(new Problem("backend", "must be set"));
    } else {
      problems.addAll(runtimeProblems(backend));
    }
    InvalidOptionsException.throwIfAny(problems);
    prohibitedHeaders =
        prohibitedHeaders.stream()
            .map(h -> h.trim().toLowerCase(Locale.ROOT))
            .filter(h -> !h.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
  }

  /** Other runtimes may exist as libraries; the server offers these two. */
  private static List<Problem> runtimeProblems(BackendOptions backend) {
    String runtime = backend.runtime();
    return BackendOptions.CPYTHON.equals(runtime) || BackendOptions.GRAALPY.equals(runtime)
        ? List.of()
        : List.of(new Problem("--runtime", "must be cpython or graalpy, got " + runtime));
  }

  /** The {@code serve} flag of a backend option, or the option's own name when it has none. */
  static String flag(String backendOption) {
    return FLAGS.getOrDefault(backendOption, backendOption);
  }

  /** A builder with the {@code DEFAULT_*} constants here and in {@link BackendOptions}. */
  public static Builder builder(Path artifact) {
    return new Builder(artifact);
  }

  /**
   * Builds a {@link ServerConfig}; {@link #build()} validates every setting at once. The model's
   * settings go to a {@link BackendOptions.Builder}, so their defaults are that builder's.
   */
  public static final class Builder {
    private final Path artifact;
    private final BackendOptions.Builder backend = BackendOptions.builder();
    private String host = DEFAULT_HOST;
    private int port = DEFAULT_PORT;
    private int ioThreads = DEFAULT_IO_THREADS;
    private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private boolean batching = BatchingPolicy.DEFAULT_ENABLED;
    private int maxBatchRows = BatchingPolicy.DEFAULT_MAX_ROWS;
    private Duration maxBatchDelay = Duration.ofMillis(BatchingPolicy.DEFAULT_MAX_DELAY_MILLIS);
    private Path captureDir;
    private int captureQueueCapacity = DEFAULT_CAPTURE_QUEUE_CAPACITY;
    private String captureUrl;
    private final S3CaptureOptions.Builder s3Capture = S3CaptureOptions.builder();
    private Set<String> prohibitedHeaders = DEFAULT_PROHIBITED_HEADERS;
    private String modelName;
    private String modelVersion;
    private boolean accessLog = DEFAULT_ACCESS_LOG;

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

    public Builder ioThreads(int ioThreads) {
      this.ioThreads = ioThreads;
      return this;
    }

    public Builder maxBodyBytes(int maxBodyBytes) {
      this.maxBodyBytes = maxBodyBytes;
      return this;
    }

    /** Whether queued requests are merged into one model call (off unless set). */
    public Builder batching(boolean batching) {
      this.batching = batching;
      return this;
    }

    public Builder maxBatchRows(int maxBatchRows) {
      this.maxBatchRows = maxBatchRows;
      return this;
    }

    public Builder maxBatchDelay(Duration maxBatchDelay) {
      this.maxBatchDelay = maxBatchDelay;
      return this;
    }

    /**
     * Sets {@link #batching(boolean)}, {@link #maxBatchRows} and {@link #maxBatchDelay} at once.
     */
    public Builder batching(BatchingPolicy policy) {
      return batching(policy.enabled())
          .maxBatchRows(policy.maxRows())
          .maxBatchDelay(policy.maxDelay());
    }

    public Builder captureDir(Path captureDir) {
      this.captureDir = captureDir;
      return this;
    }

    public Builder captureQueueCapacity(int captureQueueCapacity) {
      this.captureQueueCapacity = captureQueueCapacity;
      return this;
    }

    /** {@code s3://BUCKET/PREFIX}, or {@code file:///DIR} as {@link #captureDir}; may be null. */
    public Builder captureUrl(String captureUrl) {
      this.captureUrl = captureUrl;
      return this;
    }

    /** The S3-compatible store of an {@code s3://} {@link #captureUrl}; null for AWS. */
    public Builder s3Endpoint(String s3Endpoint) {
      s3Capture.endpoint(s3Endpoint);
      return this;
    }

    /** How S3 capture gathers records into objects: size and age bounds, memory bound. */
    public Builder s3Capture(long objectBytes, Duration objectAge, long bufferBytes) {
      s3Capture.objectBytes(objectBytes).objectAge(objectAge).bufferBytes(bufferBytes);
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

    public Builder accessLog(boolean accessLog) {
      this.accessLog = accessLog;
      return this;
    }

    public Builder timeout(Duration timeout) {
      backend.timeout(timeout);
      return this;
    }

    public Builder workers(int workers) {
      backend.workers(workers);
      return this;
    }

    public Builder queueCapacity(int queueCapacity) {
      backend.queueCapacity(queueCapacity);
      return this;
    }

    public Builder runtime(String runtime) {
      backend.runtime(runtime);
      return this;
    }

    public Builder python(Path python) {
      backend.python(python);
      return this;
    }

    public Builder startTimeout(Duration startTimeout) {
      backend.startTimeout(startTimeout);
      return this;
    }

    /**
     * The configuration; every invalid setting is reported at once by its flag.
     *
     * @throws InvalidOptionsException when a setting is invalid
     */
    public ServerConfig build() {
      List<Problem> modelProblems = new ArrayList<>();
      BatchingPolicy policy = BatchingPolicy.DISABLED;
      try {
        policy = new BatchingPolicy(batching, maxBatchRows, maxBatchDelay);
      } catch (InvalidOptionsException e) {
        modelProblems.addAll(e.renamed(ServerConfig::flag));
      }
      BackendOptions options = null;
      try {
        options = backend.batching(policy).maxFrameBytes(frameLimit(maxBodyBytes)).build();
      } catch (InvalidOptionsException e) {
        modelProblems.addAll(e.renamed(ServerConfig::flag));
      }
      List<Problem> problems = new ArrayList<>();
      CaptureTarget capture = new CaptureTarget(captureDir, null);
      try {
        capture = CaptureTarget.resolve(captureDir, captureUrl, s3Capture);
      } catch (InvalidOptionsException e) {
        problems.addAll(e.problems());
      }
      ServerConfig config = null;
      try {
        // With default model settings when those are invalid, to report every problem at once.
        config =
            new ServerConfig(
                artifact,
                host,
                port,
                ioThreads,
                maxBodyBytes,
                capture.directory(),
                captureQueueCapacity,
                capture.s3(),
                prohibitedHeaders,
                modelName,
                modelVersion,
                accessLog,
                options != null ? options : BackendOptions.builder().build());
      } catch (InvalidOptionsException e) {
        problems.addAll(e.problems());
      }
      problems.addAll(modelProblems);
      InvalidOptionsException.throwIfAny(problems);
      return config;
    }

    /** A worker's reply may be about twice its request (JSON in, JSON out), never under 64 MiB. */
    private static int frameLimit(int maxBodyBytes) {
      return (int) Math.min(Integer.MAX_VALUE - 64, Math.max(2L * maxBodyBytes, 64 << 20));
    }
  }
}
