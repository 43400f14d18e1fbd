package org.odahu.pack.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.odahu.pack.server.testing.EmbeddedServer;
import org.odahu.pack.server.testing.InMemoryBackend;
import org.odahu.pack.server.testing.RawHttp;
import org.odahu.pack.server.testing.RawHttp.Response;

/** {@code /metrics} formats, probes in the request log and traces, through the real routes. */
class MonitoringRoutesTest {
  private static final String TRACEPARENT =
      "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  private final List<RequestLog.Entry> logged = new ArrayList<>();
  private final EmbeddedServer server =
      EmbeddedServer.builder(new InMemoryBackend()).requestLog(logged::add).build();

  private Response one(String request) {
    EmbeddedChannel channel = server.channel();
    List<Response> responses = RawHttp.exchange(channel, request);
    assertFalse(channel.finishAndReleaseAll());
    assertEquals(1, responses.size());
    return responses.get(0);
  }

  @Test
  void metricsAreTextUnlessTheScraperAsksForOpenMetrics() {
    Response text = one(RawHttp.get("/metrics"));
    assertEquals(200, text.status());
    assertEquals("text/plain; version=0.0.4; charset=utf-8", text.header("content-type"));
    assertTrue(text.body().contains("# TYPE odahu_model_ready gauge\n"), text.body());
    assertFalse(text.body().contains("# EOF"));
    assertEquals("Accept", text.header("vary"));

    Response openMetrics =
        one(
            RawHttp.get(
                "/metrics",
                "Accept: application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5"));
    assertEquals(200, openMetrics.status());
    assertEquals(
        "application/openmetrics-text; version=1.0.0; charset=utf-8",
        openMetrics.header("content-type"));
    assertTrue(openMetrics.body().endsWith("# EOF\n"), openMetrics.body());
  }

  @Test
  void probesAndScrapesAreMarkedInTheRequestLog() {
    one(RawHttp.get("/healthcheck"));
    one(RawHttp.get("/health/live"));
    one(RawHttp.get("/health/ready"));
    one(RawHttp.get("/metrics"));
    one(RawHttp.post("/api/model/invoke", "{\"data\":[[1]]}"));
    one(RawHttp.get("/api/model/info"));
    one(RawHttp.get("/nowhere"));
    assertEquals(
        List.of(true, true, true, true, false, false, false),
        logged.stream().map(RequestLog.Entry::probe).toList());
  }

  @Test
  void theRequestLogGetsAValidTraceOnly() {
    one(RawHttp.post("/api/model/invoke", "{\"data\":[[1]]}", TRACEPARENT));
    one(RawHttp.post("/api/model/invoke", "{\"data\":[[1]]}", "traceparent: 00-nonsense"));
    one(RawHttp.post("/api/model/invoke", "{\"data\":[[1]]}", TRACEPARENT, TRACEPARENT));
    assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", logged.get(0).trace().traceId());
    assertEquals("00f067aa0ba902b7", logged.get(0).trace().parentId());
    assertNull(logged.get(1).trace());
    assertNull(logged.get(2).trace(), "two traceparent headers are invalid");
  }

  /** The gauge says what {@code /health/ready} answers, during shutdown too. */
  @Test
  void theReadyGaugeFollowsReadinessIntoShutdown() {
    assertEquals(200, one(RawHttp.get("/health/ready")).status());
    assertTrue(one(RawHttp.get("/metrics")).body().contains("\nodahu_model_ready 1.0\n"));
    server.state().startDraining();
    assertEquals(503, one(RawHttp.get("/health/ready")).status());
    String metrics = one(RawHttp.get("/metrics")).body();
    assertTrue(metrics.contains("\nodahu_model_ready 0.0\n"), metrics);
  }
}
