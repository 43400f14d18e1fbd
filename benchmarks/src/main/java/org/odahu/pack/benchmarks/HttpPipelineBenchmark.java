package org.odahu.pack.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.odahu.pack.gppi.ModelSchema;
import org.odahu.pack.gppi.Prediction;
import org.odahu.pack.server.testing.EmbeddedServer;
import org.odahu.pack.server.testing.InMemoryBackend;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The server's own cost per request: raw HTTP bytes through the real pipeline (codec, aggregator,
 * routing, parsing, response, metrics) on an EmbeddedChannel, with an in-memory backend that
 * answers at once what the wine model answers. No sockets, no Python: what is left is the server's
 * overhead, for each API: ODAHU's, the Open Inference Protocol (v2) and MLflow's scoring protocol.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class HttpPipelineBenchmark {
  /** {@code invoke}: a single-row wine prediction; {@code healthcheck}: the API's bare probe. */
  @Param({"invoke", "healthcheck"})
  public String route;

  /** {@code odahu}: ODAHU's API; {@code v2}: the Open Inference Protocol; {@code mlflow}. */
  @Param({"odahu", "v2", "mlflow"})
  public String api;

  private EmbeddedChannel channel;
  private ByteBuf request;

  @Setup
  public void start() {
    InMemoryBackend backend =
        new InMemoryBackend()
            .schema(WINE_SCHEMA)
            .answer(
                input ->
                    CompletableFuture.completedFuture(
                        new Prediction(
                            WINE_ANSWER.clone(),
                            WINE_COLUMNS.clone(),
                            new Prediction.Timings(1_000, 2_000, 1, input.rowCount()))));
    channel = EmbeddedServer.around(backend).channel();
    String raw = route.equals("invoke") ? invoke() : get(probe());
    request = Unpooled.unreleasableBuffer(Unpooled.copiedBuffer(raw, StandardCharsets.UTF_8));
    // A refusal would be cheaper than a prediction: measure only what answers 200.
    String answer = exchange();
    if (!answer.startsWith("HTTP/1.1 200 ")) {
      throw new IllegalStateException(api + " " + route + " did not answer 200: " + answer);
    }
  }

  private String exchange() {
    channel.writeInbound(request.duplicate());
    channel.runPendingTasks();
    StringBuilder answer = new StringBuilder();
    ByteBuf out;
    while ((out = channel.readOutbound()) != null) {
      answer.append(out.toString(StandardCharsets.UTF_8));
      out.release();
    }
    return answer.toString();
  }

  private String invoke() {
    String odahu = BenchmarkData.wineRequest(1);
    return switch (api) {
      case "odahu" -> post("/api/model/invoke", odahu);
      case "v2" -> post("/v2/models/test-model/infer", BenchmarkData.inferenceRequest(odahu));
      case "mlflow" -> post("/invocations", "{\"dataframe_split\":" + odahu + "}");
      default -> throw new IllegalArgumentException(api);
    };
  }

  private String probe() {
    return switch (api) {
      case "odahu" -> "/healthcheck";
      case "v2" -> "/v2/health/ready";
      case "mlflow" -> "/ping";
      default -> throw new IllegalArgumentException(api);
    };
  }

  private static String post(String path, String body) {
    return "POST "
        + path
        + " HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"
        + "Content-Length: "
        + body.getBytes(StandardCharsets.UTF_8).length
        + "\r\n\r\n"
        + body;
  }

  private static String get(String path) {
    return "GET " + path + " HTTP/1.1\r\nHost: bench\r\n\r\n";
  }

  @Benchmark
  public int serve() {
    channel.writeInbound(request.duplicate());
    channel.runPendingTasks();
    int bytes = 0;
    ByteBuf out;
    while ((out = channel.readOutbound()) != null) {
      bytes += out.readableBytes();
      out.release();
    }
    return bytes;
  }

  @TearDown
  public void stop() {
    channel.finishAndReleaseAll();
  }

  private static final byte[] WINE_ANSWER = "[6.388157790966288]".getBytes(StandardCharsets.UTF_8);
  private static final byte[] WINE_COLUMNS = "[\"quality\"]".getBytes(StandardCharsets.UTF_8);
  private static final ModelSchema WINE_SCHEMA = BenchmarkData.wineSchema();
}
