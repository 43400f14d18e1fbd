package org.odahu.pack.server.testing;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import org.odahu.pack.gppi.BackendOptions;
import org.odahu.pack.gppi.ModelBackend;
import org.odahu.pack.server.RouteOptions;
import org.odahu.pack.server.ServerConfig;
import org.odahu.pack.server.ServerRoutes;
import org.odahu.pack.server.capture.Capture;
import org.odahu.pack.server.http.BodyBudget;
import org.odahu.pack.server.http.Feedback;
import org.odahu.pack.server.http.Health;
import org.odahu.pack.server.http.HttpEdge;
import org.odahu.pack.server.http.ModelIdentity;
import org.odahu.pack.server.http.ModelServerInitializer;
import org.odahu.pack.server.http.PredictionCapture;
import org.odahu.pack.server.http.PredictionPipeline;
import org.odahu.pack.server.http.RequestLog;
import org.odahu.pack.server.http.Router;
import org.odahu.pack.server.http.ServerMetrics;
import org.odahu.pack.server.http.ServerState;

/**
 * The server's real routes and connection pipeline around a backend of the test's choice, on {@link
 * EmbeddedChannel}s: model {@code test-model} version {@code 1.2}, a 1024-byte body limit.
 */
public final class EmbeddedServer {
  /** The served model. */
  public static final ModelIdentity MODEL = new ModelIdentity("test-model", "1.2");

  /** How long feedback waits for its record to be stored: the server's default. */
  private static final Duration FEEDBACK_TIMEOUT =
      Duration.ofSeconds(BackendOptions.DEFAULT_TIMEOUT_SECONDS);

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ServerState state = new ServerState();
  private final BodyBudget budget;
  private final HttpEdge edge;

  private EmbeddedServer(Builder builder) {
    ServerMetrics metrics = new ServerMetrics(registry);
    metrics.bind(builder.backend, new Health(builder.backend, state), builder.capture);
    PredictionCapture capture =
        new PredictionCapture(builder.capture, MODEL, ServerConfig.DEFAULT_PROHIBITED_HEADERS);
    Router router =
        ServerRoutes.router(
            builder.backend,
            MODEL,
            builder.v2Name == null ? MODEL : new ModelIdentity(builder.v2Name, MODEL.version()),
            new PredictionPipeline(builder.backend, capture),
            new Health(builder.backend, state),
            registry,
            new Feedback(MODEL.name(), MODEL.version(), builder.capture, FEEDBACK_TIMEOUT),
            builder.routeOptions);
    this.budget = new BodyBudget(builder.bufferedBytes);
    this.edge =
        new HttpEdge(
            builder.router != null ? builder.router : router,
            MODEL,
            metrics,
            builder.requestLog,
            state,
            budget,
            builder.maxBodyBytes,
            builder.requestReadTimeout);
  }

  /** A server around {@code backend} with the defaults. */
  public static EmbeddedServer around(ModelBackend backend) {
    return builder(backend).build();
  }

  /** A server around {@code backend}, to configure. */
  public static Builder builder(ModelBackend backend) {
    return new Builder(backend);
  }

  /** A new connection: its inbound side takes raw request bytes, its outbound gives raw bytes. */
  public EmbeddedChannel channel() {
    return new EmbeddedChannel(new ModelServerInitializer(edge));
  }

  /** What the connections share. */
  public HttpEdge edge() {
    return edge;
  }

  /** Requests in flight and shutdown. */
  public ServerState state() {
    return state;
  }

  /** The registry {@code /metrics} scrapes. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The bound on buffered request bodies. */
  public BodyBudget budget() {
    return budget;
  }

  /** Settings of an {@link EmbeddedServer}. */
  public static final class Builder {
    private final ModelBackend backend;
    private int maxBodyBytes = 1024;
    private long bufferedBytes = 1 << 20;
    private Duration requestReadTimeout = Duration.ofSeconds(60);
    private Capture capture = Capture.disabled();
    private RequestLog requestLog = RequestLog.none();
    private Router router;
    private RouteOptions routeOptions = RouteOptions.DEFAULTS;
    private String v2Name;

    private Builder(ModelBackend backend) {
      this.backend = backend;
    }

    public Builder maxBodyBytes(int bytes) {
      this.maxBodyBytes = bytes;
      return this;
    }

    public Builder bufferedBytes(long bytes) {
      this.bufferedBytes = bytes;
      return this;
    }

    public Builder requestReadTimeout(Duration timeout) {
      this.requestReadTimeout = timeout;
      return this;
    }

    /** Capture records (and feedback) go to {@code capture}; off unless set. */
    public Builder capture(Capture capture) {
      this.capture = capture;
      return this;
    }

    public Builder requestLog(RequestLog log) {
      this.requestLog = log;
      return this;
    }

    /** Routes of the test's own instead of the server's. */
    public Builder router(Router routes) {
      this.router = routes;
      return this;
    }

    /** The docs page and CORS; the defaults unless set. */
    public Builder routeOptions(RouteOptions options) {
      this.routeOptions = options;
      return this;
    }

    /** The model's name in the Open Inference Protocol's paths; the model's own unless set. */
    public Builder v2Name(String name) {
      this.v2Name = name;
      return this;
    }

    public EmbeddedServer build() {
      return new EmbeddedServer(this);
    }
  }
}
