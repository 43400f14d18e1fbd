package org.odahu.pack.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.odahu.pack.gppi.Prediction;
import org.odahu.pack.gppi.PredictionInput;
import org.odahu.pack.server.odahu.OdahuCodec;
import org.odahu.pack.server.testing.EmbeddedServer;
import org.odahu.pack.server.testing.InMemoryBackend;
import org.odahu.pack.server.testing.RawHttp;
import org.odahu.pack.server.testing.RawHttp.Response;

/** Hostile and unusual input at the edge, through the real pipeline on EmbeddedChannels. */
class EdgeHardeningTest {
  private final List<CompletableFuture<Prediction>> running = new ArrayList<>();
  private final List<PredictionInput> seen = new ArrayList<>();
  private final List<String> logged = new ArrayList<>();
  private final InMemoryBackend backend = new InMemoryBackend();
  private EmbeddedServer server =
      EmbeddedServer.builder(backend)
          .requestLog(
              entry -> logged.add(entry.method() + " " + entry.uri() + " " + entry.status()))
          .build();
  private final List<EmbeddedChannel> channels = new ArrayList<>();

  @AfterEach
  void everythingAnsweredAndReleased() {
    for (EmbeddedChannel channel : channels) {
      assertFalse(channel.finishAndReleaseAll());
    }
    assertEquals(0, server.state().inFlight());
    assertEquals(0, server.budget().reserved());
  }

  private EmbeddedChannel channel() {
    EmbeddedChannel channel = server.channel();
    channels.add(channel);
    return channel;
  }

  private void answerLater() {
    backend.answer(
        input -> {
          seen.add(input);
          CompletableFuture<Prediction> later = new CompletableFuture<>();
          running.add(later);
          return later;
        });
  }

  /** Completes every running prediction, oldest first, and runs what that schedules. */
  private void finishRunning(EmbeddedChannel channel) {
    while (!running.isEmpty()) {
      CompletableFuture<Prediction> next = running.remove(0);
      InMemoryBackend.echo(seen.remove(0)).thenAccept(next::complete);
      channel.runPendingTasks();
    }
  }

  private static String invoke(int i) {
    return RawHttp.post("/api/model/invoke", "{\"data\":[[" + i + "]]}", "Request-ID: r-" + i);
  }

  @Test
  void aThousandPipelinedRequestsInOneReadAreAllAnsweredInOrder() {
    answerLater();
    EmbeddedChannel channel = channel();
    StringBuilder burst = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      burst.append(invoke(i));
    }
    assertEquals(List.of(), RawHttp.exchange(channel, burst.toString()));
    // The rest waits as bytes: only as many requests as a connection may have unanswered.
    assertEquals(ResponseSequencer.MAX_PENDING, running.size());
    assertFalse(channel.config().isAutoRead());
    List<Response> responses = new ArrayList<>();
    while (!running.isEmpty()) {
      finishRunning(channel);
      responses.addAll(RawHttp.read(channel));
    }
    assertEquals(1000, responses.size());
    for (int i = 0; i < 1000; i++) {
      assertEquals("r-" + i, responses.get(i).header("request-id"));
      assertEquals(
          "{\"prediction\":[[" + i + "]],\"columns\":[\"echo\"]}", responses.get(i).body());
    }
    assertTrue(channel.config().isAutoRead());
    assertTrue(channel.isOpen());
  }

  @Test
  void aBadPercentEscapeIs400AndTheRequestBeforeItKeepsItsAnswer() {
    answerLater();
    EmbeddedChannel channel = channel();
    String raw = invoke(1) + RawHttp.get("/%zz", "Request-ID: bad") + RawHttp.get("/health/live");
    assertEquals(List.of(), RawHttp.exchange(channel, raw));
    finishRunning(channel);
    List<Response> responses = RawHttp.read(channel);
    assertEquals(List.of(200, 400, 200), responses.stream().map(Response::status).toList());
    assertEquals(
        "{\"message\": \"Malformed request path: bad percent-escape in \\\"%zz\\\"\"}",
        responses.get(1).body());
    assertTrue(channel.isOpen());
  }

  private Response one(EmbeddedChannel channel, String raw) {
    List<Response> responses = RawHttp.exchange(channel, raw);
    assertEquals(1, responses.size(), responses.toString());
    return responses.get(0);
  }

  @Test
  void unsupportedHttpVersionsGet505AndTheConnectionCloses() {
    EmbeddedChannel channel = channel();
    channel.writeInbound(
        Unpooled.copiedBuffer(
            "GET /health/live HTTP/9.9\r\nHost: t\r\n\r\n", StandardCharsets.US_ASCII));
    String raw = RawHttp.readRaw(channel);
    assertTrue(raw.startsWith("HTTP/1.1 505 HTTP Version Not Supported\r\n"), raw);
    assertTrue(raw.endsWith("{\"message\": \"HTTP version HTTP/9.9 is not supported\"}"), raw);
    assertFalse(channel.isOpen());
  }

  @Test
  void overlongRequestLinesAndHeadersGet414And431() {
    EmbeddedChannel channel = channel();
    Response line = one(channel, RawHttp.get("/health/live?" + "q".repeat(5000)));
    assertEquals(414, line.status());
    assertEquals("{\"message\": \"The request line is longer than 4096 bytes\"}", line.body());
    assertFalse(channel.isOpen());
    Response headers = one(channel(), RawHttp.get("/health/live", "X-Big: " + "h".repeat(9000)));
    assertEquals(431, headers.status());
    assertEquals(
        "{\"message\": \"The request headers are larger than 8192 bytes\"}", headers.body());
  }

  @Test
  void anOverlongChunkHeaderIsAMalformedBodyNotAnOverlongRequestLine() {
    EmbeddedChannel channel = channel();
    Response chunk =
        one(
            channel,
            "POST /api/model/invoke HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "0;"
                + "a".repeat(10_000)
                + "\r\n\r\n");
    assertEquals(400, chunk.status(), chunk.body());
    assertEquals(
        "{\"message\": \"Malformed HTTP request: a chunk header is longer than 4096 bytes\"}",
        chunk.body());
    assertFalse(channel.isOpen());
  }

  @Test
  void bodiesInACodingTheServerDoesNotDecodeAreRefusedNotParsed() {
    backend.answer(
        input -> {
          seen.add(input);
          return InMemoryBackend.echo(input);
        });
    EmbeddedChannel channel = channel();
    Response gzip =
        one(
            channel,
            RawHttp.post("/api/model/invoke", "{\"data\":[[1]]}", "Content-Encoding: gzip"));
    assertEquals(415, gzip.status(), gzip.body());
    assertEquals(
        "{\"message\": \"Content-Encoding \\\"gzip\\\" is not supported: send the body uncompressed\"}",
        gzip.body());
    assertEquals("identity", gzip.header("Accept-Encoding"));
    Response layered =
        one(
            channel,
            "POST /api/model/invoke HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
                + "3\r\nabc\r\n0\r\n\r\n");
    assertEquals(501, layered.status(), layered.body());
    assertTrue(layered.body().contains("Transfer-Encoding \\\"gzip"), layered.body());
    assertTrue(seen.isEmpty(), "neither body reached the model");
    // The bodies were read whole, so the connection goes on.
    assertEquals(
        200,
        one(
                channel,
                RawHttp.post("/api/model/invoke", "{\"data\":[[1]]}", "Content-Encoding: identity"))
            .status());
    assertEquals(1, seen.size());
    assertEquals(200, one(channel, RawHttp.get("/health/live", "Content-Encoding: gzip")).status());
  }

  @Test
  void aRefusalOfTheProtocolIsInThePathsApiFormat() {
    Response v2 = one(channel(), "GET /v2/health/ready HTTP/1.1\r\n\r\n");
    assertEquals(400, v2.status());
    assertEquals(
        "{\"error\":\"An HTTP/1.1 request must have exactly one Host header\"}", v2.body());
    Response mlflow = one(channel(), "GET /ping HTTP/1.1\r\n\r\n");
    assertEquals(400, mlflow.status());
    assertTrue(mlflow.body().contains("\"error_code\""), mlflow.body());
    Response feedback =
        one(
            channel(),
            RawHttp.post(
                "/api/v1/feedback/model/x", "{}", "Expect: something-else", "request-id: r"));
    assertEquals(417, feedback.status());
    assertEquals(
        "{\"error\":\"Unsupported Expect header: something-else\"}", feedback.body(), "as its own");
  }

  @Test
  void anHttp11RequestNeedsExactlyOneHost() {
    EmbeddedChannel channel = channel();
    Response missing = one(channel, "GET /health/live HTTP/1.1\r\n\r\n");
    assertEquals(400, missing.status());
    assertEquals(
        "{\"message\": \"An HTTP/1.1 request must have exactly one Host header\"}", missing.body());
    assertEquals(400, one(channel, RawHttp.get("/health/live", "Host: again")).status());
    assertEquals(200, one(channel, RawHttp.get("/health/live")).status());
    assertEquals(
        200, one(channel, "GET /health/live HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").status());
  }

  @Test
  void aRequestThatDoesNotArriveWholeInTimeGets408() {
    server = EmbeddedServer.builder(backend).requestReadTimeout(Duration.ofSeconds(5)).build();
    EmbeddedChannel channel = channel();
    channel.freezeTime();
    // One complete request, then a byte now and then, each well within the idle timeout.
    assertEquals(200, one(channel, RawHttp.get("/health/live")).status());
    for (String piece : List.of("POST /api/mo", "del/invoke HTTP/1.1\r\n", "Host: t\r\n")) {
      channel.advanceTimeBy(2, TimeUnit.SECONDS);
      channel.writeInbound(Unpooled.copiedBuffer(piece, StandardCharsets.US_ASCII));
      channel.runScheduledPendingTasks();
    }
    assertNull(channel.readOutbound());
    channel.advanceTimeBy(2, TimeUnit.SECONDS);
    channel.runScheduledPendingTasks();
    channel.runPendingTasks();
    Response timedOut = RawHttp.read(channel).get(0);
    assertEquals(408, timedOut.status());
    assertEquals("{\"message\": \"The request did not arrive within 5 s\"}", timedOut.body());
    assertFalse(channel.isOpen());
  }

  /** A body that does not arrive in time: its head named the path, whose API's shape it gets. */
  @Test
  void a408IsInTheFormatOfThePathsApi() {
    server = EmbeddedServer.builder(backend).requestReadTimeout(Duration.ofSeconds(5)).build();
    String[][] cases = {
      {"/v2/models/m/infer", "{\"error\":\"The request did not arrive within 5 s\"}"},
      {
        "/invocations",
        "{\"error_code\": \"BAD_REQUEST\", \"message\": \"The request did not arrive within 5 s\"}"
      },
      {"/api/model/invoke", "{\"message\": \"The request did not arrive within 5 s\"}"},
    };
    for (String[] pathAndBody : cases) {
      EmbeddedChannel channel = channel();
      channel.freezeTime();
      channel.writeInbound(
          Unpooled.copiedBuffer(
              "POST " + pathAndBody[0] + " HTTP/1.1\r\nHost: t\r\nContent-Length: 50\r\n\r\n{",
              StandardCharsets.US_ASCII));
      channel.advanceTimeBy(6, TimeUnit.SECONDS);
      channel.runScheduledPendingTasks();
      channel.runPendingTasks();
      Response timedOut = RawHttp.read(channel).get(0);
      assertEquals(408, timedOut.status(), pathAndBody[0]);
      assertEquals(pathAndBody[1], timedOut.body(), pathAndBody[0]);
      assertFalse(channel.isOpen());
    }
  }

  /** RFC 9110: an origin server with a clock sends Date (ODAHU's gunicorn did), as IMF-fixdate. */
  @Test
  void everyResponseIsDated() {
    server = EmbeddedServer.builder(backend).build();
    EmbeddedChannel channel = channel();
    for (String path : List.of("/health/live", "/no/such/path")) {
      Response response = one(channel, RawHttp.get(path));
      String date = response.header("date");
      assertTrue(
          date != null
              && date.matches(
                  "[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT"),
          path + ": " + date);
      java.time.Instant sent =
          java.time.ZonedDateTime.parse(date, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME)
              .toInstant();
      assertTrue(
          Math.abs(Duration.between(sent, java.time.Instant.now()).toSeconds()) <= 5,
          date + " is not now");
    }
  }

  @Test
  void aNewRequestGetsAFreshDeadline() {
    server = EmbeddedServer.builder(backend).requestReadTimeout(Duration.ofSeconds(5)).build();
    EmbeddedChannel channel = channel();
    channel.freezeTime();
    for (int i = 0; i < 4; i++) {
      channel.advanceTimeBy(4, TimeUnit.SECONDS);
      channel.runScheduledPendingTasks();
      assertEquals(200, one(channel, RawHttp.get("/health/live")).status());
    }
    assertTrue(channel.isOpen());
  }

  @Test
  void aConnectionThatSendsNothingIsClosedSilentlyAtTheDeadline() {
    server = EmbeddedServer.builder(backend).requestReadTimeout(Duration.ofSeconds(5)).build();
    EmbeddedChannel channel = channel();
    channel.freezeTime();
    channel.advanceTimeBy(4, TimeUnit.SECONDS);
    channel.runScheduledPendingTasks();
    assertTrue(channel.isOpen());
    channel.advanceTimeBy(2, TimeUnit.SECONDS);
    channel.runScheduledPendingTasks();
    assertFalse(channel.isOpen());
    assertNull(channel.readOutbound());
  }

  private static String head(int contentLength) {
    return "POST /api/model/invoke HTTP/1.1\r\nHost: t\r\nRequest-ID: big-"
        + contentLength
        + "\r\nContent-Length: "
        + contentLength
        + "\r\n\r\n";
  }

  @Test
  void bodiesBeyondTheGlobalBudgetAre503BeforeTheyAreRead() {
    server = EmbeddedServer.builder(backend).maxBodyBytes(1000).bufferedBytes(1500).build();
    EmbeddedChannel first = channel();
    EmbeddedChannel second = channel();
    String body = "{\"data\":[[\"" + "x".repeat(885) + "\"]]}";
    assertEquals(900, body.length());
    assertEquals(List.of(), RawHttp.exchange(first, head(900) + body.substring(0, 100)));
    assertEquals(900, server.budget().reserved());
    Response refused = one(second, head(900));
    assertEquals(503, refused.status());
    assertEquals("1", refused.header("retry-after"));
    assertEquals("big-900", refused.header("request-id"));
    assertTrue(refused.body().contains("retry later"), refused.body());
    // Its body is discarded as it comes, and the connection serves the next request.
    assertEquals(200, one(second, body + RawHttp.get("/health/live")).status());
    assertEquals(200, one(first, body.substring(100)).status());
    assertEquals(0, server.budget().reserved());
    assertEquals(200, one(second, head(900) + body).status());
  }

  @Test
  void aRefusedBodyAwaitingContinueGetsNo100AndItsConnectionCloses() {
    server = EmbeddedServer.builder(backend).maxBodyBytes(1000).bufferedBytes(1000).build();
    EmbeddedChannel holder = channel();
    assertEquals(List.of(), RawHttp.exchange(holder, head(900) + "{"));
    EmbeddedChannel waiting = channel();
    Response refused =
        one(waiting, head(900).replace("\r\n\r\n", "\r\nExpect: 100-continue\r\n\r\n"));
    assertEquals(503, refused.status());
    assertEquals("close", refused.header("connection"));
    assertFalse(waiting.isOpen());
    holder.close().syncUninterruptibly();
  }

  @Test
  void aChunkedBodyThatStopsFittingIsRefusedAndItsConnectionClosed() {
    server = EmbeddedServer.builder(backend).maxBodyBytes(1000).bufferedBytes(1000).build();
    EmbeddedChannel holder = channel();
    assertEquals(List.of(), RawHttp.exchange(holder, head(900) + "{"));
    EmbeddedChannel chunked = channel();
    String chunk = "x".repeat(200);
    Response refused =
        one(
            chunked,
            "POST /api/model/invoke HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "c8\r\n"
                + chunk
                + "\r\n");
    assertEquals(503, refused.status());
    assertEquals("close", refused.header("connection"));
    assertFalse(chunked.isOpen());
    holder.close().syncUninterruptibly();
  }

  private static String zeros(int count) {
    return String.join(",", java.util.Collections.nCopies(count, "0"));
  }

  @Test
  void odahuMatricesHoldTheirNumbersInTheBudgetUntilAnswered() {
    // 300,000 zeros: 600 kB of JSON, 2.4 MB as doubles: more than the whole budget.
    server = EmbeddedServer.builder(backend).maxBodyBytes(1 << 20).bufferedBytes(2 << 20).build();
    answerLater();
    EmbeddedChannel channel = channel();
    Response refused =
        one(channel, RawHttp.post("/api/model/invoke", "{\"data\":[[" + zeros(300_000) + "]]}"));
    assertEquals(413, refused.status(), refused.body());
    assertTrue(refused.body().contains("--max-buffered-bytes"), refused.body());
    assertEquals(0, server.budget().reserved());
    assertTrue(seen.isEmpty());
    // 150,000 zeros (300 kB, 1.2 MB as doubles) fit, and stay counted while the model has them: a
    // second such request finds the budget held (503); the first gives it all back once answered.
    String matrix = RawHttp.post("/api/model/invoke", "{\"data\":[[" + zeros(150_000) + "]]}");
    EmbeddedChannel first = channel();
    assertEquals(List.of(), RawHttp.exchange(first, matrix));
    assertEquals(1, running.size());
    assertTrue(server.budget().reserved() >= 1_500_000, () -> "" + server.budget().reserved());
    EmbeddedChannel second = channel();
    Response busy = one(second, matrix);
    assertEquals(503, busy.status(), busy.body());
    assertEquals("1", busy.header("retry-after"));
    finishRunning(first);
    assertEquals(200, RawHttp.read(first).get(0).status());
    assertEquals(0, server.budget().reserved());
  }

  @Test
  void aBackendThatRefusesAtOnceLeavesNothingHeld() {
    backend.answer(
        input -> {
          throw new IllegalStateException("refused before any stage");
        });
    Response refused = one(channel(), RawHttp.post("/api/model/invoke", "{\"data\":[[1, 2]]}"));
    assertEquals(500, refused.status(), refused.body());
    assertEquals(0, server.budget().reserved()); // the matrix's held numbers too
  }

  @Test
  void valuesThatWouldNotFitTheBudgetOnceDecodedAre413AndHoldNothing() {
    // 60,000 zeros: 120 kB of JSON or CSV, ~5 MB once decoded into one object per value.
    server = EmbeddedServer.builder(backend).maxBodyBytes(200_000).bufferedBytes(2 << 20).build();
    EmbeddedChannel channel = channel();
    String v2 =
        "{\"inputs\":[{\"name\":\"x\",\"shape\":[60000],\"datatype\":\"FP64\",\"data\":["
            + zeros(60_000)
            + "]}]}";
    String csv = "a\n" + zeros(60_000).replace(',', '\n') + "\n";
    List<String> requests =
        List.of(
            RawHttp.post("/v2/models/test-model/infer", v2),
            RawHttp.post("/invocations", "{\"instances\":[" + zeros(60_000) + "]}"),
            RawHttp.post("/invocations", csv).replace("application/json", "text/csv"),
            RawHttp.post(
                "/api/v1/feedback/model/",
                "[" + zeros(60_000) + "]",
                "Request-ID: f-1",
                "Model-Name: test-model",
                "Model-Version: 1.2"));
    for (String request : requests) {
      Response refused = one(channel, request);
      assertEquals(413, refused.status(), refused.body());
      assertTrue(refused.body().contains("--max-buffered-bytes"), refused.body());
      assertEquals(0, server.budget().reserved());
    }
    assertTrue(seen.isEmpty());
    // The same formats with fewer values are decoded and answered.
    assertEquals(
        200,
        one(channel, RawHttp.post("/invocations", "{\"instances\":[" + zeros(1000) + "]}"))
            .status());
  }

  @Test
  void aRequestDecodedWhileOthersHoldTheBudgetIs503() {
    server = EmbeddedServer.builder(backend).maxBodyBytes(1 << 20).bufferedBytes(1 << 20).build();
    EmbeddedChannel holder = channel();
    assertEquals(List.of(), RawHttp.exchange(holder, head(1_040_000) + "{"));
    Response busy =
        one(channel(), RawHttp.post("/invocations", "{\"instances\":[" + zeros(200) + "]}"));
    assertEquals(503, busy.status(), busy.body());
    assertEquals("1", busy.header("retry-after"));
    assertEquals(1_040_000, server.budget().reserved());
    holder.close().syncUninterruptibly();
  }

  @Test
  void anErrorThrownWhileServingIsAnsweredAndReleasesTheBody() {
    Route.Api api = new Route.Api("test", new OdahuCodec(), true);
    Router router =
        Router.builder(api)
            .route(
                "POST",
                "/oom",
                api,
                request -> {
                  throw new OutOfMemoryError("Java heap space");
                })
            .build();
    server = EmbeddedServer.builder(backend).router(router).build();
    EmbeddedChannel channel = channel();
    Response response = one(channel, RawHttp.post("/oom", "{\"data\":[[1]]}", "Request-ID: oom"));
    assertEquals(500, response.status());
    assertEquals("oom", response.header("request-id"));
    assertEquals(0, server.budget().reserved());
    assertEquals(0, server.state().inFlight());
  }

  @Test
  void aResponseHeaderNettyRefusesStillAnswersTheRequest() {
    Route.Api api = new Route.Api("test", new OdahuCodec(), true);
    Router router =
        Router.builder(api)
            .route(
                "GET",
                "/bad",
                api,
                request ->
                    CompletableFuture.completedFuture(
                        new ApiResponse(200, new byte[0], "text/plain", Map.of("X-Bad", "a\r\nb"))))
            .build();
    server = EmbeddedServer.builder(backend).router(router).build();
    EmbeddedChannel channel = channel();
    Response response = one(channel, RawHttp.get("/bad", "Request-ID: hdr-1"));
    assertEquals(500, response.status());
    assertEquals("{\"message\": \"Internal server error\"}", response.body());
    assertEquals("hdr-1", response.header("request-id"));
    assertFalse(channel.isOpen());
  }

  @Test
  void theRequestLogGetsUrisEscaped() {
    EmbeddedChannel channel = channel();
    assertEquals(404, one(channel, RawHttp.get("/a\"b\\c\u00e9")).status());
    assertEquals(List.of("GET /a\\x22b\\x5cc\\xc3\\xa9 404"), logged);
    // A credential in the query string stays out of the log.
    logged.clear();
    assertEquals(404, one(channel, RawHttp.get("/x?tenant=t&access_token=s3cret")).status());
    assertEquals(List.of("GET /x?tenant=t&access_token=**** 404"), logged);
  }
}
