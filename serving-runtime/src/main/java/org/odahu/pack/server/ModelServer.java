package org.odahu.pack.server;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.odahu.pack.artifact.ModelArtifact;
import org.odahu.pack.artifact.files.ExitCleanup;
import org.odahu.pack.gppi.BackendOptions;
import org.odahu.pack.gppi.ModelBackend;
import org.odahu.pack.gppi.ModelBackends;
import org.odahu.pack.server.capture.CaptureWriter;
import org.odahu.pack.server.http.AccessLog;
import org.odahu.pack.server.http.ModelServerInitializer;
import org.odahu.pack.server.http.ServerContext;
import org.odahu.pack.server.http.ServerMetrics;

/**
 * The model server: opens the artifact, starts the model's workers and serves HTTP with Netty.
 * {@link #shutdown()} stops gracefully: no new connections, in-flight requests finish, queued
 * capture records reach the disk, workers stop.
 */
public final class ModelServer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ModelServer.class.getName());

  private final ServerConfig config;
  private final ModelArtifact artifact;
  private final ModelBackend backend;
  private final CaptureWriter capture;
  private final AccessLog accessLog;
  private final ServerContext context;
  private final EventLoopGroup acceptor;
  private final EventLoopGroup io;
  private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final Channel serverChannel;
  private boolean stopped;
  private final JvmGcMetrics gcMetrics = new JvmGcMetrics();

  private ModelServer(
      ServerConfig config,
      ExitCleanup cleanup,
      PrometheusMeterRegistry registry,
      PrintStream accessLogOut,
      WorkerEnvironment workerEnvironment)
      throws InterruptedException {
    this.config = config;
    // What start-up has built so far, closed in reverse order when a later step fails.
    Deque<AutoCloseable> built = new ArrayDeque<>();
    try {
      this.artifact = ModelArtifact.open(config.artifact(), cleanup);
      built.push(artifact);
      var model = artifact.manifest().model();
      String name = config.modelName() != null ? config.modelName() : model.name();
      String version = config.modelVersion() != null ? config.modelVersion() : model.version();
      ServerMetrics metrics = new ServerMetrics(registry);
      BackendOptions options =
          config.backendOptions().toBuilder()
              .listener(metrics.backendListener())
              .environment(workerEnvironment.forModel(artifact, config.python()))
              .build();
      this.backend = ModelBackends.create(artifact, options);
      built.push(backend);
      // Python takes longest to start: start it before everything else on the Java side.
      startBackend(name, version);
      this.capture =
          config.captureDir() == null
              ? null
              : new CaptureWriter(config.captureDir(), config.captureQueueCapacity());
      pushIfPresent(built, capture);
      this.accessLog = config.accessLog() ? new AccessLog(accessLogOut) : null;
      pushIfPresent(built, accessLog);
      bindMetrics(registry, metrics);
      built.push(gcMetrics);
      this.context =
          new ServerContext(
              config,
              backend,
              name,
              version,
              metrics,
              registry,
              capture,
              accessLog,
              new AtomicInteger(),
              new AtomicBoolean(),
              new AtomicReference<>());
      boolean epoll = Epoll.isAvailable();
      IoHandlerFactory handlers = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
      this.acceptor =
          new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("odahu-accept"), handlers);
      built.push(() -> stop(acceptor));
      this.io =
          new MultiThreadIoEventLoopGroup(
              config.ioThreads(), new DefaultThreadFactory("odahu-io"), handlers);
      built.push(() -> stop(io));
      this.serverChannel =
          bind(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class);
      LOG.log(
          System.Logger.Level.INFO,
          "Serving {0} {1} on http://{2}:{3,number,#}",
          name,
          version,
          config.host(),
          port());
    } catch (Throwable e) {
      closeInReverse(built, e);
      throw e;
    }
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

  private void startBackend(String name, String version) {
    backend
        .start()
        .whenComplete(
            (ready, failure) -> {
              if (failure == null) {
                LOG.log(
                    System.Logger.Level.INFO,
                    "Model {0} {1} is ready ({2} worker(s), {3})",
                    name,
                    version,
                    config.workers(),
                    config.runtime());
              } else {
                LOG.log(
                    System.Logger.Level.ERROR,
                    "Model {0} {1} is not ready: {2}",
                    name,
                    version,
                    failure.getMessage());
              }
            });
  }

  private void bindMetrics(PrometheusMeterRegistry registry, ServerMetrics metrics) {
    metrics.bind(backend, capture);
    new JvmMemoryMetrics().bindTo(registry);
    gcMetrics.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /** Opens the listening socket; a failure (e.g. the port is taken) says which address. */
  private Channel bind(Class<? extends ServerChannel> channelType) throws InterruptedException {
    ModelServerInitializer initializer = new ModelServerInitializer(context);
    ChannelFuture bound =
        new ServerBootstrap()
            .group(acceptor, io)
            .channel(channelType)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel channel) {
                    channels.add(channel);
                    channel.pipeline().addLast(initializer);
                  }
                })
            .bind(config.host(), config.port())
            .await();
    if (!bound.isSuccess()) {
      throw new ServerBindException(config.host(), config.port(), bound.cause());
    }
    return bound.channel();
  }

  /**
   * Starts a server; the model loads in the background while readiness reports 503. When start-up
   * fails, whatever it had started (workers included) is stopped again.
   *
   * @throws ServerBindException when the address cannot be bound, e.g. the port is taken
   */
  public static ModelServer start(
      ServerConfig config, PrometheusMeterRegistry registry, PrintStream accessLog)
      throws InterruptedException {
    return start(config, ExitCleanup.manual(), registry, accessLog);
  }

  /** As above, with the program's {@code cleanup}: it removes an extracted archive at exit. */
  public static ModelServer start(
      ServerConfig config,
      ExitCleanup cleanup,
      PrometheusMeterRegistry registry,
      PrintStream accessLog)
      throws InterruptedException {
    return start(config, cleanup, registry, accessLog, WorkerEnvironment.NONE);
  }

  /** As above, the workers getting {@code workerEnvironment}'s variables for the model. */
  public static ModelServer start(
      ServerConfig config,
      ExitCleanup cleanup,
      PrometheusMeterRegistry registry,
      PrintStream accessLog,
      WorkerEnvironment workerEnvironment)
      throws InterruptedException {
    return new ModelServer(config, cleanup, registry, accessLog, workerEnvironment);
  }

  /** The port the server listens on. */
  public int port() {
    return ((InetSocketAddress) serverChannel.localAddress()).getPort();
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
  public synchronized void shutdown() {
    if (stopped) {
      return;
    }
    stopped = true;
    LOG.log(
        System.Logger.Level.INFO,
        "Shutting down: finishing {0} request(s) in flight",
        context.inFlight().get());
    context.draining().set(true);
    serverChannel.close().awaitUninterruptibly();
    long deadline = System.nanoTime() + config.timeout().toNanos() + TimeUnit.SECONDS.toNanos(1);
    while (context.inFlight().get() > 0 && System.nanoTime() < deadline) {
      sleep(Duration.ofMillis(10));
    }
    channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    backend.close();
    if (capture != null) {
      capture.close();
      LOG.log(
          System.Logger.Level.INFO,
          "Capture: {0} record(s) written, {1} dropped",
          capture.written(),
          capture.dropped());
    }
    stop(io);
    stop(acceptor);
    if (accessLog != null) {
      accessLog.close();
    }
    gcMetrics.close();
    artifact.close();
    LOG.log(System.Logger.Level.INFO, "Stopped");
  }

  private static void stop(EventLoopGroup group) {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    shutdown();
  }
}
