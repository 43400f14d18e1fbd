package org.odahu.pack.server.testing;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.odahu.pack.gppi.ModelBackend;
import org.odahu.pack.server.ServerConfig;
import org.odahu.pack.server.capture.Capture;
import org.odahu.pack.server.http.ModelServerInitializer;
import org.odahu.pack.server.http.ServerContext;
import org.odahu.pack.server.http.ServerMetrics;

/**
 * The server's real pipeline on an {@link EmbeddedChannel}, with a backend of the test's choice.
 */
public final class EmbeddedServer {
  private EmbeddedServer() {}

  /** The shared state of a server around {@code backend}. */
  public static ServerContext context(ModelBackend backend, ServerConfig config, Capture capture) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ServerMetrics metrics = new ServerMetrics(registry);
    metrics.bind(backend, capture);
    return new ServerContext(
        config,
        backend,
        "test-model",
        "1.2",
        metrics,
        registry,
        capture,
        null,
        new AtomicInteger(),
        new AtomicBoolean(),
        new AtomicReference<>());
  }

  /** A default configuration (the artifact path is never opened here). */
  public static ServerConfig config() {
    return ServerConfig.builder(Path.of("unused")).maxBodyBytes(1024).build();
  }

  /** A channel whose inbound side takes raw request bytes and outbound side gives raw bytes. */
  public static EmbeddedChannel channel(ServerContext context) {
    return new EmbeddedChannel(new ModelServerInitializer(context));
  }
}
