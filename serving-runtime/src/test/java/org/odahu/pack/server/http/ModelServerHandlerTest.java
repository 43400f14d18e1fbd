package org.odahu.pack.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.odahu.pack.gppi.BackendNotReadyException;
import org.odahu.pack.gppi.ModelPredictionException;
import org.odahu.pack.gppi.Prediction;
import org.odahu.pack.gppi.PredictionInput;
import org.odahu.pack.gppi.PredictionTimeoutException;
import org.odahu.pack.gppi.QueueFullException;
import org.odahu.pack.gppi.WorkerCrashedException;
import org.odahu.pack.server.testing.EmbeddedServer;
import org.odahu.pack.server.testing.InMemoryBackend;
import org.odahu.pack.server.testing.RawHttp;
import org.odahu.pack.server.testing.RawHttp.Response;

/** The server's pipeline and handler through an EmbeddedChannel, with an in-memory backend. */
class ModelServerHandlerTest {
  private static final String UUID =
      "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";

  private final InMemoryBackend backend = new InMemoryBackend();
  private final EmbeddedServer server = EmbeddedServer.around(backend);
  private final EmbeddedChannel channel = server.channel();

  @AfterEach
  void noLeaksAndNothingLeft() {
    assertFalse(channel.finishAndReleaseAll());
    assertEquals(0, server.state().inFlight());
  }

  private Response one(String raw) {
    List<Response> responses = RawHttp.exchange(channel, raw);
    assertEquals(1, responses.size(), responses.toString());
    return responses.get(0);
  }

  @Test
  void invokeAnswersWithModelHeadersAndAGeneratedRequestId() {
    Response response =
        one(RawHttp.post("/api/model/invoke", "{\"columns\":[\"a\"],\"data\":[[1],[2.5]]}"));
    assertEquals(200, response.status());
    assertEquals("{\"prediction\":[[1],[2.5]],\"columns\":[\"echo\"]}", response.body());
    assertEquals("application/json", response.header("content-type"));
    assertEquals("test-model", response.header("model-name"));
    assertEquals("1.2", response.header("model-version"));
    assertTrue(response.header("request-id").matches(UUID), response.header("request-id"));
  }

  @Test
  void inboundRequestIdsAreHonouredWhenWellFormed() {
    assertEquals(
        "abc-123",
        one(RawHttp.post("/api/model/invoke", "{\"data\":[[1]]}", "Request-ID: abc-123"))
            .header("request-id"));
    assertEquals("xyz.7", one(RawHttp.get("/nope", "X-Request-ID: xyz.7")).header("request-id"));
    assertEquals(
        "first",
        one(RawHttp.get("/healthcheck", "X-Request-ID: second", "Request-ID: first"))
            .header("request-id"));
    String replaced =
        one(RawHttp.get("/healthcheck", "Request-ID: has spaces;and<html>")).header("request-id");
    assertTrue(replaced.matches(UUID), replaced);
    assertTrue(
        one(RawHttp.get("/healthcheck", "Request-ID: " + "x".repeat(200)))
            .header("request-id")
            .matches(UUID));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"data\": [[1,]] | Can not parse input as JSON: ",
        "[[1, 2]] | Request body must be a JSON object with a \"data\" matrix",
        "{\"columns\": [\"a\"]} | Matrix is not provided",
        "{\"data\": []} | Matrix is not provided",
        "{\"data\": {}} | Matrix is not provided",
        "{\"data\": [[\"\\ud800\"]]} | Can not parse input as JSON: lone surrogate",
      })
  void badRequestsGet400WithOdahusMessages(String body, String message) {
    Response response = one(RawHttp.post("/api/model/invoke", body));
    assertEquals(400, response.status());
    assertTrue(
        response.body().startsWith("{\"message\": \"" + message.replace("\"", "\\\"")),
        response.body());
    assertTrue(response.header("request-id").matches(UUID));
  }

  @Test
  void emptyAndNonUtf8Bodies() {
    assertEquals(
        "{\"message\": \"Please provide data with this POST request\"}",
        one(RawHttp.post("/api/model/invoke", "")).body());
    byte[] head =
        "POST /api/model/invoke HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);
    byte[] raw = new byte[head.length + 3];
    System.arraycopy(head, 0, raw, 0, head.length);
    raw[head.length] = (byte) 0xff;
    raw[head.length + 1] = (byte) 0xfe;
    raw[head.length + 2] = '{';
    Response response = RawHttp.exchange(channel, raw).get(0);
    assertEquals(400, response.status());
    assertTrue(
        response.body().contains("Can not decode POST data using utf-8 charset"), response.body());
  }

  @Test
  void unknownPathAndWrongMethod() {
    Response notFound = one(RawHttp.get("/api/model/other?x=1"));
    assertEquals(404, notFound.status());
    assertEquals("{\"message\": \"Not found: /api/model/other\"}", notFound.body());
    Response wrongMethod = one(RawHttp.get("/api/model/invoke"));
    assertEquals(405, wrongMethod.status());
    assertEquals("POST", wrongMethod.header("allow"));
    assertEquals("GET, HEAD", one(RawHttp.post("/healthcheck", "{}")).header("allow"));
  }

  @Test
  void oversizedBodyGets413InJsonAndTheConnectionCloses() {
    Response response =
        one(RawHttp.post("/api/model/invoke", "{\"data\":[[\"" + "x".repeat(2000) + "\"]]}"));
    assertEquals(413, response.status());
    assertEquals(
        "{\"message\": \"Request body is larger than the limit of 1024 bytes\"}", response.body());
    assertEquals("close", response.header("connection"));
    assertFalse(channel.isOpen());
  }

  @Test
  void expectContinue() {
    String head =
        "POST /api/model/invoke HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
            + "Expect: 100-continue\r\nContent-Length: 14\r\n\r\n";
    channel.writeInbound(Unpooled.copiedBuffer(head, StandardCharsets.US_ASCII));
    String interim = RawHttp.readRaw(channel);
    assertTrue(interim.startsWith("HTTP/1.1 100 Continue"), interim);
    Response response = RawHttp.exchange(channel, "{\"data\":[[1]]}").get(0);
    assertEquals(200, response.status());
    Response refused =
        one(
            "POST /api/model/invoke HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\n"
                + "Request-ID: big-1\r\nContent-Length: 5000\r\n\r\n");
    assertEquals(413, refused.status());
    assertEquals(
        "{\"message\": \"Request body is larger than the limit of 1024 bytes\"}", refused.body());
    assertEquals("application/json", refused.header("content-type"));
    assertEquals("big-1", refused.header("request-id"));
    assertEquals("close", refused.header("connection"));
    assertFalse(channel.isOpen());
    assertTrue(
        server
            .registry()
            .scrape()
            .contains(
                "odahu_http_requests_total{method=\"POST\",route=\"/api/model/invoke\",status=\"413\"} 1.0"));
  }

  @Test
  void unsupportedExpectationGets417InJson() {
    Response refused =
        one(
            RawHttp.post(
                "/api/model/invoke", "{\"data\":[[1]]}", "Expect: teapot", "Request-ID: e-1"));
    assertEquals(417, refused.status());
    assertEquals("{\"message\": \"Unsupported Expect header: teapot\"}", refused.body());
    assertEquals("application/json", refused.header("content-type"));
    assertEquals("e-1", refused.header("request-id"));
    assertEquals(200, one(RawHttp.get("/health/live")).status());
  }

  @Test
  void chunkedBody() {
    String raw =
        "POST /api/model/invoke HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "6\r\n{\"data\r\n"
            + "8\r\n\":[[7]]}\r\n"
            + "0\r\n\r\n";
    Response response = one(raw);
    assertEquals(200, response.status());
    assertEquals("{\"prediction\":[[7]],\"columns\":[\"echo\"]}", response.body());
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrderEvenWhenPredictionsFinishOutOfOrder() {
    CompletableFuture<Prediction> slow = new CompletableFuture<>();
    backend.answer(
        input -> input.rows().row(0).equals("[\"slow\"]") ? slow : InMemoryBackend.echo(input));
    String pipelined =
        RawHttp.post("/api/model/invoke", "{\"data\":[[\"slow\"]]}", "Request-ID: r1")
            + RawHttp.post("/api/model/invoke", "{\"data\":[[\"fast\"]]}", "Request-ID: r2")
            + RawHttp.get("/health/live", "Request-ID: r3");
    assertEquals(List.of(), RawHttp.exchange(channel, pipelined));
    InMemoryBackend.echo(PredictionInput.fromJson(null, "[[\"slow\"]]")).thenAccept(slow::complete);
    channel.runPendingTasks();
    List<Response> responses = RawHttp.read(channel);
    assertEquals(
        List.of("r1", "r2", "r3"), responses.stream().map(r -> r.header("request-id")).toList());
    assertEquals("{\"prediction\":[[\"slow\"]],\"columns\":[\"echo\"]}", responses.get(0).body());
  }

  private Response failingWith(Throwable failure) {
    backend.answer(input -> CompletableFuture.failedFuture(failure));
    return one(RawHttp.post("/api/model/invoke", "{\"data\":[[1]]}"));
  }

  @Test
  void backendFailuresMapToHonestStatuses() {
    Response model = failingWith(new ModelPredictionException("Expected error", "Exception", ""));
    assertEquals(500, model.status());
    assertEquals("{\"message\": \"Exception during prediction: Expected error\"}", model.body());
    assertEquals("test-model", model.header("model-name"));
    Response timeout =
        failingWith(new PredictionTimeoutException("Prediction timed out after 60 s"));
    assertEquals(504, timeout.status());
    Response full = failingWith(new QueueFullException("The prediction queue is full"));
    assertEquals(503, full.status());
    assertEquals("1", full.header("retry-after"));
    Response notReady = failingWith(new BackendNotReadyException("The model is not ready: boom"));
    assertEquals(503, notReady.status());
    assertEquals("5", notReady.header("retry-after"));
    Response crashed =
        failingWith(new WorkerCrashedException("worker-1 (pid 7) died during the prediction"));
    assertEquals(500, crashed.status());
    assertEquals("{\"message\": \"Model worker died during the prediction\"}", crashed.body());
    Response bug = failingWith(new IllegalStateException("a bug with internals"));
    assertEquals(500, bug.status());
    assertEquals("{\"message\": \"Internal server error\"}", bug.body());
  }

  @Test
  void healthRoutesFollowReadiness() {
    assertEquals("{\"status\":true}\n", one(RawHttp.get("/healthcheck")).body());
    assertEquals(200, one(RawHttp.get("/health/ready")).status());
    backend.ready(false, "The model failed to start: ModuleNotFoundError");
    Response health = one(RawHttp.get("/healthcheck"));
    assertEquals(503, health.status());
    assertEquals("{\"status\":false}\n", health.body());
    Response ready = one(RawHttp.get("/health/ready"));
    assertEquals(503, ready.status());
    assertEquals(
        "{\"ready\":false,\"workers\":{\"alive\":0,\"configured\":1},\"message\":\"The model failed to start: ModuleNotFoundError\"}",
        ready.body());
    assertEquals(200, one(RawHttp.get("/health/live")).status());
  }

  @Test
  void infoIsTheSwaggerDocumentWithTheModelsNameAndVersion() {
    Response info = one(RawHttp.get("/api/model/info"));
    assertEquals(200, info.status());
    assertTrue(info.body().contains("\"title\":\"test-model\""), info.body());
    assertTrue(info.body().contains("\"version\":\"1.2\""), info.body());
    assertTrue(info.body().endsWith("}\n"));
    assertEquals(info.body(), one(RawHttp.get("/api/model/info")).body());
  }

  @Test
  void headHasNoBody() {
    channel.writeInbound(
        Unpooled.copiedBuffer(
            "HEAD /healthcheck HTTP/1.1\r\nHost: t\r\n\r\n", StandardCharsets.US_ASCII));
    String raw = RawHttp.readRaw(channel);
    assertTrue(raw.startsWith("HTTP/1.1 200 OK"), raw);
    assertTrue(raw.endsWith("\r\n\r\n"), raw);
  }

  @Test
  void metricsCountRequestsByRouteAndStatus() {
    one(RawHttp.post("/api/model/invoke", "{\"data\":[[1]]}"));
    one(RawHttp.post("/api/model/invoke", "{\"data\":[[1]]}"));
    one(RawHttp.get("/nope"));
    String metrics = one(RawHttp.get("/metrics")).body();
    assertTrue(
        metrics.contains(
            "odahu_http_requests_total{method=\"POST\",route=\"/api/model/invoke\",status=\"200\"} 2.0"),
        metrics);
    assertTrue(
        metrics.contains(
            "odahu_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 1.0"),
        metrics);
    assertTrue(
        metrics.contains(
            "odahu_http_server_duration_seconds_bucket{route=\"/api/model/invoke\",le=\"0.001\"}"),
        metrics);
    assertTrue(
        metrics.contains("odahu_http_server_duration_seconds_count{route=\"unmatched\"} 1"),
        metrics);
    assertTrue(metrics.contains("odahu_workers_alive 1.0"), metrics);
    assertTrue(metrics.contains("odahu_worker_restarts_total 0.0"), metrics);
  }

  @Test
  void nonStandardMethodsShareOneMetricsLabel() {
    assertEquals(405, one("BREW /healthcheck HTTP/1.1\r\nHost: t\r\n\r\n").status());
    assertEquals(405, one("X-ANYTHING /healthcheck HTTP/1.1\r\nHost: t\r\n\r\n").status());
    String metrics = one(RawHttp.get("/metrics")).body();
    assertTrue(
        metrics.contains(
            "odahu_http_requests_total{method=\"other\",route=\"/healthcheck\",status=\"405\"} 2.0"),
        metrics);
    assertFalse(metrics.contains("BREW"), metrics);
  }

  @Test
  void http10WithoutKeepAliveIsClosedAfterTheResponse() {
    Response response = one("GET /health/live HTTP/1.0\r\n\r\n");
    assertEquals(200, response.status());
    assertFalse(channel.isOpen());
  }

  @Test
  void malformedHttpGets400() {
    Response response = one("GET /health/live HTTP/1.1\r\nHost: t\r\nContent-Length: abc\r\n\r\n");
    assertEquals(400, response.status());
    assertTrue(
        response.body().startsWith("{\"message\": \"Malformed HTTP request"), response.body());
  }

  /** Netty reads an unreadable request line as GET /bad-request: counted as no method at all. */
  @Test
  void anUnreadableRequestLineIsNoGet() {
    channel.writeInbound(Unpooled.copiedBuffer("GARBAGE\r\n\r\n", StandardCharsets.US_ASCII));
    String raw = RawHttp.readRaw(channel);
    assertTrue(raw.startsWith("HTTP/1.0 400 ") || raw.startsWith("HTTP/1.1 400 "), raw);
    String metrics = server.registry().scrape();
    assertTrue(
        metrics.contains(
            "odahu_http_requests_total{method=\"other\",route=\"unmatched\",status=\"400\"} 1.0"),
        metrics);
    assertFalse(metrics.contains("method=\"GET\",route=\"unmatched\",status=\"400\""), metrics);
  }

  @Test
  void feedbackWithoutCaptureCannotBeDelivered() {
    Response missing =
        one(RawHttp.post("/api/v1/feedback", "{\"ok\":1}", "model-name: m", "model-version: 1"));
    assertEquals(400, missing.status());
    assertEquals("{\"error\":\"request-id header is missed\"}", missing.body());
    Response empty =
        one(RawHttp.post("/api/v1/feedback/model/x", "{}", "request-id: r", "model-name: m"));
    assertEquals("{\"error\":\"model-name or model-version header is empty\"}", empty.body());
    Response undeliverable =
        one(
            RawHttp.post(
                "/api/v1/feedback",
                "{}",
                "request-id: r",
                "model-name: test-model",
                "model-version: 1.2"));
    assertEquals(502, undeliverable.status());
    assertEquals("{\"error\":\"Cannot deliver message\"}", undeliverable.body());
  }

  @Test
  void aClientThatHangsUpCancelsItsPredictionAndGetsNothing() {
    CompletableFuture<Prediction> later = new CompletableFuture<>();
    backend.answer(input -> later);
    assertEquals(
        List.of(),
        RawHttp.exchange(channel, RawHttp.post("/api/model/invoke", "{\"data\":[[1]]}")));
    assertEquals(1, server.state().inFlight());
    channel.close().syncUninterruptibly();
    assertTrue(later.isCancelled(), "the backend's call is still wanted");
    InMemoryBackend.echo(PredictionInput.fromJson(null, "[[1]]")).thenAccept(later::complete);
    channel.runPendingTasks();
    assertNull(channel.readOutbound());
    assertEquals(0, server.state().inFlight());
    assertTrue(
        server
            .registry()
            .scrape()
            .contains(
                "odahu_http_requests_total{method=\"POST\",route=\"/api/model/invoke\",status=\"499\"} 1.0"),
        server.registry().scrape());
  }

  /** The access log's bytes are those sent: none for a client that hung up (nginx's 499 too). */
  @Test
  void aHungUpRequestIsLoggedWithNoBytesSent() {
    List<RequestLog.Entry> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
    InMemoryBackend later = new InMemoryBackend();
    CompletableFuture<Prediction> never = new CompletableFuture<>();
    later.answer(input -> never);
    EmbeddedServer logging = EmbeddedServer.builder(later).requestLog(logged::add).build();
    EmbeddedChannel hungUp = logging.channel();
    RawHttp.exchange(hungUp, RawHttp.post("/api/model/invoke", "{\"data\":[[1]]}"));
    hungUp.close().syncUninterruptibly();
    hungUp.runPendingTasks();
    assertEquals(1, logged.size(), logged.toString());
    assertEquals(499, logged.get(0).status());
    assertEquals(0, logged.get(0).bytes());
  }
}
