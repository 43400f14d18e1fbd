package org.odahu.pack.server;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.odahu.pack.artifact.ModelArtifact;
import org.odahu.pack.artifact.files.ExitCleanup;
import org.odahu.pack.gppi.BackendOptions;
import org.odahu.pack.gppi.InterpreterNotFoundException;
import org.odahu.pack.gppi.ModelBackend;
import org.odahu.pack.gppi.ModelBackends;
import org.odahu.pack.gppi.ModelStartupException;
import org.odahu.pack.gppi.cpython.EarlyWorker;
import org.odahu.pack.logging.ContextLogger;
import org.odahu.pack.logging.LogContext;
import org.odahu.pack.server.capture.Capture;
import org.odahu.pack.server.capture.FileCaptureSink;
import org.odahu.pack.server.capture.s3.S3CaptureSink;
import org.odahu.pack.server.http.AccessLog;
import org.odahu.pack.server.http.BodyBudget;
import org.odahu.pack.server.http.Feedback;
import org.odahu.pack.server.http.FileDescriptors;
import org.odahu.pack.server.http.Health;
import org.odahu.pack.server.http.HttpEdge;
import org.odahu.pack.server.http.HttpServer;
import org.odahu.pack.server.http.ModelIdentity;
import org.odahu.pack.server.http.PredictionCapture;
import org.odahu.pack.server.http.PredictionPipeline;
import org.odahu.pack.server.http.RequestLog;
import org.odahu.pack.server.http.ServerMetrics;
import org.odahu.pack.server.http.ServerState;
import org.odahu.pack.server.metrics.ProcessMetrics;
import org.odahu.pack.server.metrics.ServerInfoMetrics;

/**
 * The model server, and the composition root of its object graph: opens the artifact, starts the
 * model's workers, wires capture, metrics, the prediction pipeline and the routes, and serves HTTP
 * with Netty. {@link #shutdown()} stops gracefully: no new connections, in-flight requests finish,
 * queued capture records reach the disk, workers stop.
 */
public final class ModelServer implements AutoCloseable {
  private static final ContextLogger LOG = ContextLogger.of(ModelServer.class);

  private final ServerConfig config;
  private final ModelArtifact artifact;
  private final ModelBackend backend;
  private final Capture capture;
  private final AccessLog accessLog;
  private final ServerMetrics metrics;
  private final ServerState state = new ServerState();
  private final Health health;
  private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
  private final HttpServer http;
  private final LogContext logContext;
  private boolean stopped;

  /** Ends the shutdown delay early: {@link #stopNow}. */
  private final CountDownLatch hurry = new CountDownLatch(1);

  private ModelServer(
      ServerConfig config,
      ExitCleanup cleanup,
      PrometheusMeterRegistry registry,
      OutputStream accessLogOut,
      WorkerEnvironment workerEnvironment,
      EarlyWorker earlyWorker)
      throws InterruptedException {
    this.config = config;
    registry.config().meterFilter(ProcessMetrics.conventionalNames());
    // What start-up has built so far, closed in reverse order when a later step fails.
    Deque<AutoCloseable> built = new ArrayDeque<>();
    try {
      if (config.captureDir() != null) {
        // An unusable capture directory stops the start before any worker does.
        FileCaptureSink.checkWritable(config.captureDir());
      }
      checkInterpreter(config.backend());
      this.artifact = ModelArtifact.open(config.artifact(), cleanup);
      built.push(artifact);
      ModelIdentity model = identity(config, artifact);
      this.logContext = LogContext.model(model.name(), model.version());
      this.metrics = new ServerMetrics(registry);
      BackendOptions options =
          config.backend().toBuilder()
              .listener(metrics.backendListener())
              .environment(workerEnvironment.forModel(artifact, config.backend().python()))
              .earlyWorker(earlyWorker)
              .build();
      this.backend = ModelBackends.create(artifact, options);
      built.push(backend);
      this.health = new Health(backend, state);
      // Python takes longest to start: start it before everything else on the Java side.
      startBackend(model);
      this.capture = openCapture(config);
      built.push(capture);
      this.accessLog =
          config.accessLog()
              ? new AccessLog(accessLogOut, config.logFormat(), config.accessLogProbes(), model)
              : null;
      pushIfPresent(built, accessLog);
      bindMetrics(registry, metrics, model);
      built.push(gcMetrics);
      this.http = listen(edge(model, metrics, registry));
      metrics.bindConnections(http);
      LOG.log(
          System.Logger.Level.INFO,
          logContext,
          "Serving {0} {1} on http://{2}:{3,number,#}",
          model.name(),
          model.version(),
          config.host(),
          port());
    } catch (Throwable e) {
      // The model's start, cut short now, is not a failure of its own: this one is reported.
      state.startDraining();
      closeInReverse(built, e);
      throw e;
    }
  }

  /**
   * An interpreter named by a path that cannot be run stops the start at once: the workers would
   * find it only once the port is bound and the server announced. A name looked up on PATH, or a
   * path relative to the artifact, is left to the worker's start, which says the same.
   */
  private static void checkInterpreter(BackendOptions backend) {
    Path python = backend.python();
    if (!BackendOptions.CPYTHON.equals(backend.runtime())) {
      return;
    }
    if (python.isAbsolute() && !Files.isExecutable(python)) {
      throw new InterpreterNotFoundException(
          python, Files.exists(python) ? "Permission denied" : "No such file or directory", null);
    }
    // A bare name (the default, python3) is looked up on PATH, as the worker's start does.
    if (InterpreterNotFoundException.notOnPath(python)) {
      throw new InterpreterNotFoundException(
          python, InterpreterNotFoundException.NOT_ON_PATH, null);
    }
  }

  /** The name and version to serve, checked before any worker starts. */
  private static ModelIdentity identity(ServerConfig config, ModelArtifact artifact) {
    var manifest = artifact.manifest().model();
    return new ModelIdentity(
        config.modelName() != null ? config.modelName() : manifest.name(),
        config.modelVersion() != null ? config.modelVersion() : manifest.version());
  }

  /** Everything the connections share: routes, pipeline, metrics, logs, limits. */
  private HttpEdge edge(
      ModelIdentity model, ServerMetrics metrics, PrometheusMeterRegistry registry) {
    PredictionCapture predictions =
        new PredictionCapture(capture, model, config.prohibitedHeaders());
    PredictionPipeline pipeline = new PredictionPipeline(backend, predictions);
    // A feedback record waits for the disk at most as long as a prediction waits for the model.
    Feedback feedback =
        new Feedback(model.name(), model.version(), capture, config.backend().timeout());
    // The Open Inference Protocol may know the model by another name (KServe's service name).
    ModelIdentity v2Model =
        config.v2ModelName() == null
            ? model
            : new ModelIdentity(config.v2ModelName(), model.version());
    var router =
        ServerRoutes.router(
            backend, model, v2Model, pipeline, health, registry, feedback, config.routeOptions());
    return new HttpEdge(
        router,
        model,
        metrics,
        accessLog == null ? RequestLog.none() : accessLog::log,
        state,
        new BodyBudget(config.httpLimits().bufferedBytes(config.maxBodyBytes())),
        config.maxBodyBytes(),
        config.httpLimits().requestReadTimeout());
  }

  /** Listens, with at most as many connections as the file descriptor limit leaves room for. */
  private HttpServer listen(HttpEdge edge) throws InterruptedException {
    int wanted = config.httpLimits().maxConnections();
    long descriptors = FileDescriptors.limit();
    int allowed = Math.min(wanted, FileDescriptors.connectionsAllowed(descriptors));
    if (allowed < wanted) {
      LOG.log(
          System.Logger.Level.WARNING,
          logContext,
          "Serving at most {0,number,#} connections, not {1,number,#}: the file descriptor limit"
              + " is {2,number,#}"
              + " (raise it with ulimit -n)",
          allowed,
          wanted,
          descriptors);
    }
    try {
      return HttpServer.bind(edge, config.host(), config.port(), config.ioThreads(), allowed);
    } catch (HttpServer.BindFailedException e) {
      throw new ServerBindException(config.host(), config.port(), e.getCause());
    }
  }

  /** Where capture records go: nowhere, a directory or an S3 bucket. */
  private static Capture openCapture(ServerConfig config) {
    if (config.s3Capture() != null) {
      return S3CaptureSink.capture(config.s3Capture(), config.captureQueueCapacity());
    }
    return config.captureDir() == null
        ? Capture.disabled()
        : Capture.toDirectory(config.captureDir(), config.captureQueueCapacity());
  }

  private static void pushIfPresent(Deque<AutoCloseable> built, AutoCloseable closeable) {
    if (closeable != null) {
      built.push(closeable);
    }
  }

  private static void closeInReverse(Deque<AutoCloseable> built, Throwable failure) {
    while (!built.isEmpty()) {
      try {
        built.pop().close();
      } catch (Exception e) {
        failure.addSuppressed(e);
      }
    }
  }

  private void startBackend(ModelIdentity model) {
    backend
        .start()
        .whenComplete(
            (ready, failure) -> {
              if (failure == null) {
                LOG.log(
                    System.Logger.Level.INFO,
                    logContext,
                    "Model {0} {1} is ready ({2} worker(s), {3})",
                    model.name(),
                    model.version(),
                    config.backend().workers(),
                    config.backend().runtime());
              } else if (!state.isDraining()) {
                // Once shutdown has begun, a start cut short is what was asked for, not an error.
                // With the model's traceback: /health/ready says the log has the details.
                LOG.log(
                    System.Logger.Level.ERROR,
                    logContext,
                    "Model {0} {1} is not ready: {2}{3}",
                    model.name(),
                    model.version(),
                    failure.getMessage(),
                    traceback(failure));
              }
            });
  }

  /** The Python traceback of a start that failed in the model, on lines of its own, or "". */
  private static String traceback(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof ModelStartupException startup && !startup.pythonTraceback().isEmpty()) {
        return "\n" + startup.pythonTraceback().stripTrailing();
      }
    }
    return "";
  }

  private void bindMetrics(
      PrometheusMeterRegistry registry, ServerMetrics metrics, ModelIdentity model) {
    metrics.bind(backend, health, capture);
    if (accessLog != null) {
      metrics.bindAccessLog(accessLog);
    }
    new ServerInfoMetrics(
            model.name(),
            model.version(),
            config.backend().runtime(),
            config.backend().queueCapacity(),
            capture.enabled() ? config.captureQueueCapacity() : 0)
        .bindTo(registry);
    new ProcessMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    gcMetrics.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /**
   * Starts a server; the model loads in the background while readiness reports 503. When start-up
   * fails, whatever it had started (workers included) is stopped again. The access log goes to
   * {@code accessLog} (see {@link AccessLog#AccessLog}).
   *
   * @throws ServerBindException when the address cannot be bound, e.g. the port is taken
   * @throws ModelIdentity.InvalidModelIdentityException when the model name or version holds
   *     control characters
   */
  public static ModelServer start(
      ServerConfig config, PrometheusMeterRegistry registry, OutputStream accessLog)
      throws InterruptedException {
    return start(config, ExitCleanup.manual(), registry, accessLog);
  }

  /** As above, with the program's {@code cleanup}: it removes an extracted archive at exit. */
  public static ModelServer start(
      ServerConfig config,
      ExitCleanup cleanup,
      PrometheusMeterRegistry registry,
      OutputStream accessLog)
      throws InterruptedException {
    return start(config, cleanup, registry, accessLog, WorkerEnvironment.NONE);
  }

  /** As above, the workers getting {@code workerEnvironment}'s variables for the model. */
  public static ModelServer start(
      ServerConfig config,
      ExitCleanup cleanup,
      PrometheusMeterRegistry registry,
      OutputStream accessLog,
      WorkerEnvironment workerEnvironment)
      throws InterruptedException {
    return start(config, cleanup, registry, accessLog, workerEnvironment, EarlyWorker.NONE);
  }

  /** As above, the first worker taking over {@code earlyWorker}'s process when it fits. */
  public static ModelServer start(
      ServerConfig config,
      ExitCleanup cleanup,
      PrometheusMeterRegistry registry,
      OutputStream accessLog,
      WorkerEnvironment workerEnvironment,
      EarlyWorker earlyWorker)
      throws InterruptedException {
    return new ModelServer(config, cleanup, registry, accessLog, workerEnvironment, earlyWorker);
  }

  /** The port the server listens on. */
  public int port() {
    return http.port();
  }

  /** Whether the model was called at least once for a prediction. */
  public boolean calledTheModel() {
    return metrics.modelCalls() > 0;
  }

  /** The model backend, e.g. to wait until it is ready. */
  public ModelBackend backend() {
    return backend;
  }

  /**
   * Stops gracefully: no new connections; requests in flight finish (for at most the prediction
   * timeout); capture records are flushed; workers stop. Idempotent; a concurrent call waits for
   * the first to finish.
   */
  public void shutdown() {
    shutdown(Duration.ZERO);
  }

  /**
   * As {@link #shutdown()}, first serving for {@code delay} more with readiness failing and every
   * answer closing its connection: a load balancer that takes a few seconds to see the pod go
   * (Kubernetes' endpoints, kube-proxy, an ingress) sends its last requests to a server still
   * listening, not to a closed port.
   */
  public synchronized void shutdown(Duration delay) {
    if (stopped) {
      return;
    }
    stopped = true;
    state.startDraining();
    if (delay.isPositive()) {
      LOG.log(
          System.Logger.Level.INFO,
          logContext,
          "Shutting down in {0,number,#} s: readiness fails now, so that load balancers stop"
              + " sending",
          delay.toSeconds());
      try {
        hurry.await(delay.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    LOG.log(
        System.Logger.Level.INFO,
        logContext,
        "Shutting down: finishing {0} request(s) in flight",
        state.inFlight());
    http.stop(config.backend().timeout().plus(Duration.ofSeconds(1)));
    backend.close();
    capture.close();
    if (capture.enabled()) {
      LOG.log(
          System.Logger.Level.INFO,
          logContext,
          "Capture: {0} record(s) written, {1} dropped",
          capture.written(),
          capture.dropped());
    }
    if (accessLog != null) {
      accessLog.close();
    }
    gcMetrics.close();
    artifact.close();
    LOG.log(System.Logger.Level.INFO, logContext, "Stopped");
  }

  /**
   * For a second stop signal while {@link #shutdown} runs: ends its delay, and kills the workers
   * with the calls in flight, so that the drain ends now rather than after the prediction timeout:
   * the requests waiting for the model, queued or in a model call, are answered 503 at once.
   * Capture records already queued are still written.
   */
  public void stopNow() {
    hurry.countDown();
    backend.kill();
  }

  @Override
  public void close() {
    shutdown();
  }
}
