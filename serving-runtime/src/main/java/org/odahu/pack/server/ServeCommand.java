package org.odahu.pack.server;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.odahu.pack.artifact.files.ExitCleanup;
import org.odahu.pack.gppi.BatchingPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code serve ARTIFACT [options]}: runs the model server. Every option can also come from the
 * environment the docker-rest image sets (shown as {@code ${env}} in the help).
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description =
        "Serve an ODAHU model artifact over HTTP (ODAHU's model API, health, metrics, feedback).",
    sortOptions = false)
public final class ServeCommand implements Callable<Integer> {

  @Parameters(
      index = "0",
      paramLabel = "ARTIFACT",
      description = "Model artifact: a directory, an ODAHU .zip (gzip tarball), a tar or a ZIP.")
  Path artifact;

  @Option(
      names = "--host",
      defaultValue = "${env:ODAHU_HOST:-0.0.0.0}",
      description = "Address to bind (default ${DEFAULT-VALUE}; env ODAHU_HOST).")
  String host;

  @Option(
      names = "--port",
      defaultValue = "${env:ODAHU_PORT:-5000}",
      description = "Port to bind (default ${DEFAULT-VALUE}; env ODAHU_PORT).")
  int port;

  @Option(
      names = "--timeout",
      defaultValue = "${env:ODAHU_TIMEOUT:-60}",
      paramLabel = "SECONDS",
      description =
          "Longest a prediction may take before 504 and a worker restart (default ${DEFAULT-VALUE}; env ODAHU_TIMEOUT).")
  long timeoutSeconds;

  @Option(
      names = "--workers",
      defaultValue = "${env:ODAHU_WORKERS:-1}",
      description =
          "Python worker processes, each running the model's init() (default ${DEFAULT-VALUE}; env ODAHU_WORKERS).")
  int workers;

  @Option(
      names = "--threads",
      defaultValue = "${env:ODAHU_THREADS:-4}",
      description =
          "HTTP I/O threads; model calls never run on them (default ${DEFAULT-VALUE}; env ODAHU_THREADS).")
  int threads;

  @Option(
      names = "--max-body-size",
      defaultValue = "${env:ODAHU_MAX_BODY_SIZE:-33554432}",
      paramLabel = "BYTES",
      description = "Largest request body; larger ones get 413 (default ${DEFAULT-VALUE}).")
  int maxBodyBytes;

  @Option(
      names = "--queue-size",
      defaultValue = "${env:ODAHU_QUEUE_SIZE:-1024}",
      description =
          "Predictions that may wait for a worker; beyond it 503 with Retry-After (default ${DEFAULT-VALUE}).")
  int queueSize;

  @Option(
      names = "--batching",
      negatable = true,
      defaultValue = "${env:ODAHU_BATCHING:-true}",
      fallbackValue = "true",
      description =
          "Merge queued requests with the same columns into one model call (default on; --no-batching for stateful models).")
  boolean batching;

  @Option(
      names = "--max-batch-rows",
      defaultValue = "${env:ODAHU_MAX_BATCH_ROWS:-1024}",
      description = "Most rows in one merged model call (default ${DEFAULT-VALUE}).")
  int maxBatchRows;

  @Option(
      names = "--max-batch-delay",
      defaultValue = "${env:ODAHU_MAX_BATCH_DELAY_MS:-0}",
      paramLabel = "MILLIS",
      description =
          "How long a free worker waits for more requests to merge (default ${DEFAULT-VALUE}: never).")
  long maxBatchDelayMillis;

  @Option(
      names = "--capture-dir",
      defaultValue = "${env:ODAHU_CAPTURE_DIR}",
      description =
          "Write request/response and feedback records here, in ODAHU's model_log layout (default: off).")
  Path captureDir;

  @Option(
      names = "--capture-queue-size",
      defaultValue = "10000",
      description =
          "Capture records that may wait for the disk before new ones are dropped (default ${DEFAULT-VALUE}).")
  int captureQueueSize;

  @Option(
      names = "--prohibited-headers",
      split = ",",
      defaultValue = "authorization,x-jwt,x-user,x-email",
      description = "Headers never stored in capture records (default ${DEFAULT-VALUE}).")
  List<String> prohibitedHeaders;

  @Option(
      names = "--model-name",
      defaultValue = "${env:ODAHU_MODEL_NAME}",
      description =
          "Model name for headers and swagger (env ODAHU_MODEL_NAME; default: the manifest's).")
  String modelName;

  @Option(
      names = "--model-version",
      defaultValue = "${env:ODAHU_MODEL_VERSION}",
      description = "Model version likewise (env ODAHU_MODEL_VERSION).")
  String modelVersion;

  @Option(
      names = "--runtime",
      defaultValue = "${env:ODAHU_RUNTIME:-cpython}",
      description =
          "cpython (worker processes) or graalpy (in-process, pure-Python models) (default ${DEFAULT-VALUE}).")
  String runtime;

  @Option(
      names = "--python",
      defaultValue = "${env:ODAHU_PYTHON:-/usr/bin/python3}",
      description =
          "Interpreter of the CPython workers, e.g. a conda env's bin/python (default ${DEFAULT-VALUE}).")
  Path python;

  @Option(
      names = "--start-timeout",
      defaultValue = "300",
      paramLabel = "SECONDS",
      description =
          "Longest a worker may take to import the model and run init() (default ${DEFAULT-VALUE}).")
  long startTimeoutSeconds;

  @Option(
      names = "--access-log",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description = "One line per request on stdout (default on).")
  boolean accessLog;

  @Option(names = "--verbose", description = "Debug logging, with stack traces.")
  boolean verbose;

  @Option(
      names = "--install-deps",
      description =
          "Install the model's declared Python dependencies (conda.yaml pip list, requirements.txt)"
              + " into a cached environment for --python and run the workers with it.")
  boolean installDeps;

  private final WorkerEnvironment dependencies;

  /** A serve command that cannot install dependencies (the images' entrypoint). */
  public ServeCommand() {
    this(null);
  }

  /**
   * A serve command whose {@code --install-deps} uses {@code dependencies}.
   *
   * @param dependencies the environment of the model's installed dependencies, or {@code null}
   */
  public ServeCommand(WorkerEnvironment dependencies) {
    this.dependencies = dependencies;
  }

  private WorkerEnvironment workerEnvironment() {
    if (!installDeps) {
      return WorkerEnvironment.NONE;
    }
    if (dependencies == null) {
      throw new IllegalArgumentException(
          "--install-deps needs the odahu-pack command: an image has its dependencies installed");
    }
    return dependencies;
  }

  /** The configuration these options describe. */
  public ServerConfig config() {
    return ServerConfig.builder(artifact)
        .host(host)
        .port(port)
        .timeout(Duration.ofSeconds(timeoutSeconds))
        .workers(workers)
        .ioThreads(threads)
        .maxBodyBytes(maxBodyBytes)
        .queueCapacity(queueSize)
        .batching(
            batching
                ? new BatchingPolicy(true, maxBatchRows, Duration.ofMillis(maxBatchDelayMillis))
                : BatchingPolicy.DISABLED)
        .captureDir(captureDir)
        .captureQueueCapacity(captureQueueSize)
        .prohibitedHeaders(new LinkedHashSet<>(prohibitedHeaders))
        .modelName(blankToNull(modelName))
        .modelVersion(blankToNull(modelVersion))
        .runtime(runtime)
        .python(python)
        .startTimeout(Duration.ofSeconds(startTimeoutSeconds))
        .accessLog(accessLog)
        .build();
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  @Override
  public Integer call() throws Exception {
    ServerConfig config = config();
    // Removes an extracted archive however the program ends, even during start-up.
    try (ExitCleanup cleanup = ExitCleanup.atExit()) {
      ModelServer server =
          ModelServer.start(
              config,
              cleanup,
              new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
              System.out,
              workerEnvironment());
      // SIGTERM and SIGINT end the wait below, so a graceful stop returns 0 like any command; the
      // hook covers every other way the JVM may end.
      Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown, "odahu-shutdown"));
      CountDownLatch stopRequested = new CountDownLatch(1);
      StopSignals.onStop(stopRequested::countDown);
      stopRequested.await();
      server.shutdown();
    }
    return 0;
  }
}
