package org.odahu.pack.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.odahu.pack.gppi.BackendOptions;
import org.odahu.pack.gppi.BatchingPolicy;
import org.odahu.pack.gppi.InvalidOptionsException;
import org.odahu.pack.gppi.InvalidOptionsException.Problem;
import org.odahu.pack.logging.LogFormat;
import org.odahu.pack.server.capture.s3.S3CaptureOptions;
import org.odahu.pack.server.http.HttpLimits;

/**
 * Builds a {@link ServerConfig}; {@link #build()} validates every setting at once. The model's
 * settings go to a {@link BackendOptions.Builder}, so their defaults are that builder's; the HTTP
 * edge's limits default to {@link HttpLimits}' {@code DEFAULT_*} constants.
 */
public final class ServerConfigBuilder {
  private final Path artifact;
  private final BackendOptions.Builder backend = BackendOptions.builder();
  private String host = ServerConfig.DEFAULT_HOST;
  private int port = ServerConfig.DEFAULT_PORT;
  private int ioThreads = ServerConfig.DEFAULT_IO_THREADS;
  private int maxBodyBytes = ServerConfig.DEFAULT_MAX_BODY_BYTES;
  private boolean batching = BatchingPolicy.DEFAULT_ENABLED;
  private int maxBatchRows = BatchingPolicy.DEFAULT_MAX_ROWS;
  private Duration maxBatchDelay = Duration.ofMillis(BatchingPolicy.DEFAULT_MAX_DELAY_MILLIS);
  private Path captureDir;
  private int captureQueueCapacity = ServerConfig.DEFAULT_CAPTURE_QUEUE_CAPACITY;
  private String captureUrl;
  private final S3CaptureOptions.Builder s3Capture = S3CaptureOptions.builder();
  private Set<String> prohibitedHeaders = ServerConfig.DEFAULT_PROHIBITED_HEADERS;
  private String modelName;
  private String modelVersion;
  private String v2ModelName;
  private boolean accessLog = ServerConfig.DEFAULT_ACCESS_LOG;
  private int maxConnections = HttpLimits.DEFAULT_MAX_CONNECTIONS;
  private Duration requestReadTimeout =
      Duration.ofSeconds(HttpLimits.DEFAULT_REQUEST_READ_TIMEOUT_SECONDS);
  private long maxBufferedBytes = HttpLimits.DEFAULT_MAX_BUFFERED_BYTES;
  private boolean accessLogProbes = ServerConfig.DEFAULT_ACCESS_LOG_PROBES;
  private LogFormat logFormat = LogFormat.TEXT;
  private boolean docs = ServerConfig.DEFAULT_DOCS;
  private List<String> corsOrigins = List.of();

  ServerConfigBuilder(Path artifact) {
    this.artifact = artifact;
  }

  public ServerConfigBuilder host(String host) {
    this.host = host;
    return this;
  }

  public ServerConfigBuilder port(int port) {
    this.port = port;
    return this;
  }

  public ServerConfigBuilder ioThreads(int ioThreads) {
    this.ioThreads = ioThreads;
    return this;
  }

  public ServerConfigBuilder maxBodyBytes(int maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
    return this;
  }

  /** Whether queued requests are merged into one model call (off unless set). */
  public ServerConfigBuilder batching(boolean batching) {
    this.batching = batching;
    return this;
  }

  public ServerConfigBuilder maxBatchRows(int maxBatchRows) {
    this.maxBatchRows = maxBatchRows;
    return this;
  }

  public ServerConfigBuilder maxBatchDelay(Duration maxBatchDelay) {
    this.maxBatchDelay = maxBatchDelay;
    return this;
  }

  /** Sets {@link #batching(boolean)}, {@link #maxBatchRows} and {@link #maxBatchDelay} at once. */
  public ServerConfigBuilder batching(BatchingPolicy policy) {
    return batching(policy.enabled())
        .maxBatchRows(policy.maxRows())
        .maxBatchDelay(policy.maxDelay());
  }

  public ServerConfigBuilder captureDir(Path captureDir) {
    this.captureDir = captureDir;
    return this;
  }

  public ServerConfigBuilder captureQueueCapacity(int captureQueueCapacity) {
    this.captureQueueCapacity = captureQueueCapacity;
    return this;
  }

  public ServerConfigBuilder prohibitedHeaders(Set<String> prohibitedHeaders) {
    this.prohibitedHeaders = prohibitedHeaders;
    return this;
  }

  public ServerConfigBuilder modelName(String modelName) {
    this.modelName = modelName;
    return this;
  }

  public ServerConfigBuilder modelVersion(String modelVersion) {
    this.modelVersion = modelVersion;
    return this;
  }

  /** The Open Inference Protocol's name of the model; {@code null}: the model's name. */
  public ServerConfigBuilder v2ModelName(String v2ModelName) {
    this.v2ModelName = v2ModelName;
    return this;
  }

  public ServerConfigBuilder accessLog(boolean accessLog) {
    this.accessLog = accessLog;
    return this;
  }

  /** Whether successful health probes and metrics scrapes are access-logged too. */
  public ServerConfigBuilder accessLogProbes(boolean accessLogProbes) {
    this.accessLogProbes = accessLogProbes;
    return this;
  }

  /** What the model's {@code input_matrix} is: {@code lists} (ODAHU's) or {@code ndarray}. */
  public ServerConfigBuilder inputMatrix(String inputMatrix) {
    backend.inputMatrix(inputMatrix);
    return this;
  }

  /** How the access log is written. */
  public ServerConfigBuilder logFormat(LogFormat logFormat) {
    this.logFormat = logFormat;
    return this;
  }

  public ServerConfigBuilder timeout(Duration timeout) {
    backend.timeout(timeout);
    return this;
  }

  public ServerConfigBuilder workers(int workers) {
    backend.workers(workers);
    return this;
  }

  public ServerConfigBuilder queueCapacity(int queueCapacity) {
    backend.queueCapacity(queueCapacity);
    return this;
  }

  public ServerConfigBuilder runtime(String runtime) {
    backend.runtime(runtime);
    return this;
  }

  public ServerConfigBuilder python(Path python) {
    backend.python(python);
    return this;
  }

  public ServerConfigBuilder startTimeout(Duration startTimeout) {
    backend.startTimeout(startTimeout);
    return this;
  }

  /** Connections served at once; beyond them only probes and scrapes are answered, the rest 503. */
  public ServerConfigBuilder maxConnections(int maxConnections) {
    this.maxConnections = maxConnections;
    return this;
  }

  /** The most a client may take to send one whole request. */
  public ServerConfigBuilder requestReadTimeout(Duration requestReadTimeout) {
    this.requestReadTimeout = requestReadTimeout;
    return this;
  }

  /** {@code s3://BUCKET/PREFIX}, or {@code file:///DIR} as {@link #captureDir}; may be null. */
  public ServerConfigBuilder captureUrl(String captureUrl) {
    this.captureUrl = captureUrl;
    return this;
  }

  /** The S3-compatible store of an {@code s3://} {@link #captureUrl}; null for AWS. */
  public ServerConfigBuilder s3Endpoint(String s3Endpoint) {
    s3Capture.endpoint(s3Endpoint);
    return this;
  }

  /** How S3 capture gathers records into objects: size and age bounds, memory bound. */
  public ServerConfigBuilder s3Capture(long objectBytes, Duration objectAge, long bufferBytes) {
    s3Capture.objectBytes(objectBytes).objectAge(objectAge).bufferBytes(bufferBytes);
    return this;
  }

  /** Request body bytes held at once across connections; {@code 0}: sized by the heap. */
  public ServerConfigBuilder maxBufferedBytes(long maxBufferedBytes) {
    this.maxBufferedBytes = maxBufferedBytes;
    return this;
  }

  /** Whether {@code GET /docs} (Swagger UI) is served (on unless set). */
  public ServerConfigBuilder docs(boolean docs) {
    this.docs = docs;
    return this;
  }

  /** Browser origins allowed to call the server, or {@code *}; none (CORS off) unless set. */
  public ServerConfigBuilder corsOrigins(List<String> corsOrigins) {
    this.corsOrigins = corsOrigins;
    return this;
  }

  /**
   * Sets {@link #maxConnections}, {@link #requestReadTimeout} and {@link #maxBufferedBytes} at
   * once.
   */
  public ServerConfigBuilder httpLimits(HttpLimits limits) {
    return maxConnections(limits.maxConnections())
        .requestReadTimeout(limits.requestReadTimeout())
        .maxBufferedBytes(limits.maxBufferedBytes());
  }

  /**
   * The configuration; every invalid setting is reported at once by its flag.
   *
   * @throws InvalidOptionsException when a setting is invalid
   */
  public ServerConfig build() {
    List<Problem> partProblems = new ArrayList<>();
    BackendOptions options = backendOptions(partProblems);
    HttpLimits limits = httpLimits(partProblems);
    CaptureTarget capture = captureTarget(partProblems);
    List<Problem> problems = new ArrayList<>();
    ServerConfig config = null;
    try {
      // With the defaults of the parts that are invalid, to report every problem at once.
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
              v2ModelName,
              accessLog,
              options,
              limits,
              accessLogProbes,
              logFormat,
              docs,
              corsOrigins);
    } catch (InvalidOptionsException e) {
      problems.addAll(e.problems());
    }
    problems.addAll(partProblems);
    InvalidOptionsException.throwIfAny(problems);
    return config;
  }

  /** The model's options; the defaults when they are invalid, their problems added. */
  private BackendOptions backendOptions(List<Problem> problems) {
    BatchingPolicy policy = BatchingPolicy.DISABLED;
    try {
      policy = new BatchingPolicy(batching, maxBatchRows, maxBatchDelay);
    } catch (InvalidOptionsException e) {
      problems.addAll(e.renamed(ServerConfig::flag));
    }
    try {
      return backend.batching(policy).maxFrameBytes(frameLimit(maxBodyBytes)).build();
    } catch (InvalidOptionsException e) {
      problems.addAll(e.renamed(ServerConfig::flag));
      return BackendOptions.builder().build();
    }
  }

  /** Where capture records go; the directory alone when the URL is invalid, its problems added. */
  private CaptureTarget captureTarget(List<Problem> problems) {
    try {
      return CaptureTarget.resolve(captureDir, captureUrl, s3Capture);
    } catch (InvalidOptionsException e) {
      problems.addAll(e.problems());
      return new CaptureTarget(captureDir, null);
    }
  }

  /** The HTTP edge's limits; the defaults when they are invalid, their problems added. */
  private HttpLimits httpLimits(List<Problem> problems) {
    try {
      return new HttpLimits(maxConnections, requestReadTimeout, maxBufferedBytes);
    } catch (InvalidOptionsException e) {
      problems.addAll(e.problems());
      return HttpLimits.DEFAULTS;
    }
  }

  /**
   * The largest worker message for requests of up to {@code maxBodyBytes}: a worker's reply may be
   * about twice its request (JSON in, JSON out), never under 64 MiB.
   */
  static int frameLimit(int maxBodyBytes) {
    return (int) Math.min(Integer.MAX_VALUE - 64, Math.max(2L * maxBodyBytes, 64 << 20));
  }
}
