package org.odahu.pack.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
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
 * answers at once. No sockets, no Python: what is left is the server's overhead.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class HttpPipelineBenchmark {
  /** {@code invoke}: a single-row wine prediction; {@code healthcheck}: the bare route. */
  @Param({"invoke", "healthcheck"})
  public String route;

  private EmbeddedChannel channel;
  private ByteBuf request;

  @Setup
  public void start() {
    channel = EmbeddedServer.around(new InMemoryBackend()).channel();
    String raw;
    if (route.equals("invoke")) {
      String body = BenchmarkData.wineRequest(1);
      raw =
          "POST /api/model/invoke HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"
              + "Content-Length: "
              + body.getBytes(StandardCharsets.UTF_8).length
              + "\r\n\r\n"
              + body;
    } else {
      raw = "GET /healthcheck HTTP/1.1\r\nHost: bench\r\n\r\n";
    }
    request = Unpooled.unreleasableBuffer(Unpooled.copiedBuffer(raw, StandardCharsets.UTF_8));
    int written = serve();
    if (written < 100) {
      throw new IllegalStateException("no response from the pipeline");
    }
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
}
