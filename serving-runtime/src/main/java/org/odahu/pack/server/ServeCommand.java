package org.odahu.pack.server;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.odahu.pack.artifact.files.ExitCleanup;
import org.odahu.pack.commandline.Converters;
import org.odahu.pack.commandline.InputMatrixOption;
import org.odahu.pack.commandline.LauncherArchive;
import org.odahu.pack.commandline.Logging;
import org.odahu.pack.gppi.BackendConfigurationException;
import org.odahu.pack.gppi.BackendOptions;
import org.odahu.pack.gppi.BatchingPolicy;
import org.odahu.pack.gppi.cpython.EarlyWorker;
import org.odahu.pack.logging.LogFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
        "Serve an ODAHU model artifact over HTTP: ODAHU's model API, the Open Inference Protocol"
            + " (v2), MLflow's scoring protocol, OpenAPI and a docs page, health, metrics,"
            + " feedback.",
    sortOptions = false)
public final class ServeCommand implements Callable<Integer> {
  private static final System.Logger LOG = System.getLogger(ServeCommand.class.getName());

  @Parameters(
      index = "0",
      paramLabel = "ARTIFACT",
      description = "Model artifact: a directory, an ODAHU .zip (gzip tarball), a tar or a ZIP.")
  Path artifact;

  @Option(
      names = "--host",
      defaultValue = "${env:ODAHU_HOST:-" + ServerConfig.DEFAULT_HOST + "}",
      description = "Address to bind (default ${DEFAULT-VALUE}; env ODAHU_HOST).")
  String host;

  @Option(
      names = "--port",
      converter = Converters.Port.class,
      defaultValue = "${env:ODAHU_PORT:-" + ServerConfig.DEFAULT_PORT + "}",
      description = "Port to bind (default ${DEFAULT-VALUE}; env ODAHU_PORT).")
  int port;

  @Option(
      names = "--timeout",
      converter = Converters.PositiveSeconds.class,
      defaultValue = "${env:ODAHU_TIMEOUT:-" + BackendOptions.DEFAULT_TIMEOUT_SECONDS + "}",
      paramLabel = "SECONDS",
      description =
          "Longest a prediction may take before 504 and a worker restart (default ${DEFAULT-VALUE}; env ODAHU_TIMEOUT).")
  long timeoutSeconds;

  @Option(
      names = "--shutdown-delay",
      converter = Converters.NonNegativeSeconds.class,
      defaultValue = "${env:ODAHU_SHUTDOWN_DELAY:-0}",
      paramLabel = "SECONDS",
      description =
          "Seconds to go on serving after SIGTERM, readiness already failing, so that load"
              + " balancers stop sending first (default ${DEFAULT-VALUE}; env"
              + " ODAHU_SHUTDOWN_DELAY).")
  long shutdownDelaySeconds;

  @Option(
      names = "--workers",
      converter = Converters.Workers.class,
      defaultValue = "${env:ODAHU_WORKERS:-" + BackendOptions.DEFAULT_WORKERS + "}",
      description =
          "Python worker processes, each running the model's init() (default ${DEFAULT-VALUE}; env ODAHU_WORKERS).")
  int workers;

  @Option(
      names = "--threads",
      converter = Converters.AtLeastOne.class,
      defaultValue = "${env:ODAHU_THREADS:-" + ServerConfig.DEFAULT_IO_THREADS + "}",
      description =
          "HTTP I/O threads; model calls never run on them (default ${DEFAULT-VALUE}; env ODAHU_THREADS).")
  int threads;

  @Mixin HttpLimitOptions httpLimits;

  @Option(
      names = "--queue-size",
      converter = Converters.AtLeastOne.class,
      defaultValue = "${env:ODAHU_QUEUE_SIZE:-" + BackendOptions.DEFAULT_QUEUE_CAPACITY + "}",
      description =
          "Predictions that may wait for a worker; beyond it 503 with Retry-After (default ${DEFAULT-VALUE}; env ODAHU_QUEUE_SIZE).")
  int queueSize;

  @Option(
      names = "--batching",
      negatable = true,
      defaultValue = "${env:ODAHU_BATCHING:-" + BatchingPolicy.DEFAULT_ENABLED + "}",
      fallbackValue = "true",
      description =
          "Merge queued requests with the same columns into one model call; only for stateless,"
              + " row-wise models (default off; env ODAHU_BATCHING).")
  boolean batching;

  @Option(
      names = "--max-batch-rows",
      converter = Converters.AtLeastOne.class,
      defaultValue = "${env:ODAHU_MAX_BATCH_ROWS:-" + BatchingPolicy.DEFAULT_MAX_ROWS + "}",
      description =
          "Most rows in one merged model call (default ${DEFAULT-VALUE}; env ODAHU_MAX_BATCH_ROWS).")
  int maxBatchRows;

  @Option(
      names = "--max-batch-delay",
      converter = Converters.NonNegativeMillis.class,
      defaultValue =
          "${env:ODAHU_MAX_BATCH_DELAY_MS:-" + BatchingPolicy.DEFAULT_MAX_DELAY_MILLIS + "}",
      paramLabel = "MILLIS",
      description =
          "How long a free worker waits for more requests to merge (default ${DEFAULT-VALUE}: never; env ODAHU_MAX_BATCH_DELAY_MS).")
  long maxBatchDelayMillis;

  @Mixin CaptureOptions capture;

  @Option(
      names = "--model-name",
      defaultValue = "${env:ODAHU_MODEL_NAME}",
      description =
          "Model name for headers and swagger (env ODAHU_MODEL_NAME; default: the manifest's).")
  String modelName;

  @Option(
      names = "--v2-model-name",
      defaultValue = "${env:ODAHU_V2_MODEL_NAME}",
      description =
          "Name of the model in the Open Inference Protocol's paths (/v2/models/NAME), e.g. a KServe"
              + " InferenceService's; nothing else changes (env ODAHU_V2_MODEL_NAME; default: the"
              + " model name).")
  String v2ModelName;

  @Option(
      names = "--model-version",
      defaultValue = "${env:ODAHU_MODEL_VERSION}",
      description = "Model version likewise (env ODAHU_MODEL_VERSION).")
  String modelVersion;

  @Option(
      names = "--runtime",
      converter = Converters.RuntimeName.class,
      defaultValue = "${env:ODAHU_RUNTIME:-" + BackendOptions.DEFAULT_RUNTIME + "}",
      description =
          "cpython (worker processes) or graalpy (in-process, pure-Python models) (default ${DEFAULT-VALUE}; env ODAHU_RUNTIME).")
  String runtime;

  @Mixin InputMatrixOption inputMatrix;

  @Option(
      names = "--python",
      defaultValue = "${env:ODAHU_PYTHON:-" + BackendOptions.DEFAULT_PYTHON + "}",
      description =
          "Interpreter of the CPython workers, e.g. a conda env's bin/python (default ${DEFAULT-VALUE}; env ODAHU_PYTHON).")
  Path python;

  @Option(
      names = "--start-timeout",
      converter = Converters.PositiveSeconds.class,
      defaultValue = "" + BackendOptions.DEFAULT_START_TIMEOUT_SECONDS,
      paramLabel = "SECONDS",
      description =
          "Longest a worker may take to import the model and run init() (default ${DEFAULT-VALUE}).")
  long startTimeoutSeconds;

  @Option(
      names = "--access-log",
      negatable = true,
      defaultValue = "" + ServerConfig.DEFAULT_ACCESS_LOG,
      fallbackValue = "true",
      description = "One line per request on stdout (default on).")
  boolean accessLog;

  @Option(
      names = "--access-log-probes",
      negatable = true,
      defaultValue =
          "${env:ODAHU_ACCESS_LOG_PROBES:-" + ServerConfig.DEFAULT_ACCESS_LOG_PROBES + "}",
      fallbackValue = "true",
      description =
          "Also log health probes and metrics scrapes that succeed; failed ones are always logged"
              + " (default off; env ODAHU_ACCESS_LOG_PROBES).")
  boolean accessLogProbes;

  @Option(
      names = Logging.FORMAT_OPTION,
      converter = Converters.LogFormatName.class,
      defaultValue = "${env:ODAHU_LOG_FORMAT:-text}",
      paramLabel = "FORMAT",
      description =
          "text, or json: one JSON object per line, in the server log and the access log"
              + " (default ${DEFAULT-VALUE}; env ODAHU_LOG_FORMAT).")
  LogFormat logFormat;

  @Option(
      names = "--docs",
      negatable = true,
      defaultValue = "${env:ODAHU_DOCS:-" + ServerConfig.DEFAULT_DOCS + "}",
      fallbackValue = "true",
      description =
          "Serve GET /docs, Swagger UI on /openapi.json (default on; --no-docs: 404; env ODAHU_DOCS).")
  boolean docs;

  @Option(
      names = "--cors-origins",
      split = ",",
      defaultValue = "${env:ODAHU_CORS_ORIGINS}",
      paramLabel = "ORIGIN",
      description =
          "Browser origins allowed to call the server (CORS), e.g. https://app.example.com, or *"
              + " (default: none, CORS off; env ODAHU_CORS_ORIGINS).")
  List<String> corsOrigins;

  @Option(names = "--verbose", description = "Debug logging, with stack traces.")
  boolean verbose;

  @Option(
      names = "--install-deps",
      description =
          "Install the model's declared Python dependencies (conda.yaml pip list, requirements.txt)"
              + " into a cached environment for --python and run the workers with it.")
  boolean installDeps;

  private final WorkerEnvironment dependencies;
  private final EarlyWorker earlyWorker;

  /** A serve command that cannot install dependencies. */
  public ServeCommand() {
    this(null, EarlyWorker.NONE);
  }

  /**
   * A serve command whose {@code --install-deps} uses {@code dependencies}.
   *
   * @param dependencies the environment of the model's installed dependencies, or {@code null}
   */
  public ServeCommand(WorkerEnvironment dependencies) {
    this(dependencies, EarlyWorker.NONE);
  }

  /**
   * As above, the first worker taking over {@code earlyWorker}'s process when it fits (the images'
   * entrypoint, {@link ServerMain}).
   */
  public ServeCommand(WorkerEnvironment dependencies, EarlyWorker earlyWorker) {
    this.dependencies = dependencies;
    this.earlyWorker = earlyWorker;
  }

  private WorkerEnvironment workerEnvironment() {
    if (!installDeps) {
      return WorkerEnvironment.NONE;
    }
    WorkerEnvironment.checkRuntime(runtime);
    if (dependencies == null) {
      throw new IllegalArgumentException(
          "--install-deps needs the odahu-pack command: an image has its dependencies installed");
    }
    return dependencies;
  }

  /** The configuration these options describe. */
  public ServerConfig config() {
    ServerConfigBuilder builder = ServerConfig.builder(artifact);
    httpLimits.applyTo(builder);
    capture.applyTo(builder);
    return builder
        .host(host)
        .port(port)
        .timeout(Duration.ofSeconds(timeoutSeconds))
        .workers(workers)
        .ioThreads(threads)
        .queueCapacity(queueSize)
        .batching(batching)
        .maxBatchRows(maxBatchRows)
        .maxBatchDelay(Duration.ofMillis(maxBatchDelayMillis))
        .modelName(blankToNull(modelName))
        .modelVersion(blankToNull(modelVersion))
        .v2ModelName(blankToNull(v2ModelName))
        .runtime(runtime)
        .inputMatrix(inputMatrix.value())
        .python(python)
        .startTimeout(Duration.ofSeconds(startTimeoutSeconds))
        .accessLog(accessLog)
        .accessLogProbes(accessLogProbes)
        .logFormat(logFormat)
        .docs(docs)
        .corsOrigins(
            corsOrigins == null
                ? List.of()
                : corsOrigins.stream().map(String::strip).filter(o -> !o.isEmpty()).toList())
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
              // Standard output itself: System.out would hide the access log's write errors.
              new FileOutputStream(FileDescriptor.out),
              workerEnvironment(),
              earlyWorker);
      // SIGTERM and SIGINT end the wait below, so a graceful stop returns 0 like any command; the
      // hook covers every other way the JVM may end.
      Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown, "odahu-shutdown"));
      CountDownLatch stopRequested = new CountDownLatch(1);
      // The first SIGTERM, SIGINT or SIGHUP (its terminal closed) stops gracefully; a second one
      // (Ctrl-C again) stops now.
      AtomicReference<String> forcedBy = new AtomicReference<>();
      StopSignals.handle(
          signal -> {
            if (stopRequested.getCount() > 0) {
              stopRequested.countDown();
            } else if (forcedBy.compareAndSet(null, signal)) {
              LOG.log(
                  System.Logger.Level.WARNING,
                  "SIG{0} again: stopping now; the requests waiting for the model are answered 503",
                  signal);
              server.stopNow();
            }
          });
      // A model that cannot start is retried, but options that make starting impossible end serve.
      AtomicReference<Throwable> impossible = new AtomicReference<>();
      server
          .backend()
          .start()
          .whenComplete(
              (ready, failure) -> {
                Throwable cause = failure instanceof CompletionException c ? c.getCause() : failure;
                if (cause instanceof BackendConfigurationException) {
                  impossible.set(cause);
                  stopRequested.countDown();
                }
              });
      stopRequested.await();
      // A model that cannot start is no reason to keep serving: no delay then.
      server.shutdown(
          impossible.get() == null ? Duration.ofSeconds(shutdownDelaySeconds) : Duration.ZERO);
      if (!server.calledTheModel()) {
        LauncherArchive.unrepresentative();
      }
      if (impossible.get() instanceof BackendConfigurationException e) {
        throw e;
      }
      if (forcedBy.get() != null) {
        return switch (forcedBy.get()) {
          case "HUP" -> 129;
          case "INT" -> 130;
          default -> 143;
        };
      }
    }
    return 0;
  }
}
