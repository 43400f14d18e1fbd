package org.odahu.pack.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.odahu.pack.server.capture.Capture;
import org.odahu.pack.server.capture.CaptureRecord;
import org.odahu.pack.server.capture.CaptureUnavailableException;
import org.odahu.pack.server.testing.EmbeddedServer;
import org.odahu.pack.server.testing.InMemoryBackend;
import org.odahu.pack.server.testing.RawHttp;
import org.odahu.pack.server.testing.RawHttp.Response;

/**
 * The routes with {@link Capture}: invoke records offered when on, feedback answered once stored.
 */
class CaptureRoutesTest {
  /** Capture that keeps offered records and leaves stores pending until the test settles them. */
  private static final class Pending implements Capture {
    final boolean on;
    final List<CaptureRecord> offered = new ArrayList<>();
    final List<CompletableFuture<Void>> stores = new ArrayList<>();

    Pending(boolean on) {
      this.on = on;
    }

    @Override
    public boolean enabled() {
      return on;
    }

    @Override
    public boolean offer(CaptureRecord record) {
      if (!on) {
        throw new AssertionError("records built while capture is off");
      }
      offered.add(record);
      return true;
    }

    @Override
    public CompletionStage<Void> store(CaptureRecord record) {
      CompletableFuture<Void> stored = new CompletableFuture<>();
      stores.add(stored);
      return stored;
    }

    @Override
    public int depth() {
      return 0;
    }

    @Override
    public long written() {
      return 0;
    }

    @Override
    public long dropped() {
      return 0;
    }

    @Override
    public void close() {}
  }

  private static EmbeddedServer serverWith(Capture capture) {
    return EmbeddedServer.builder(new InMemoryBackend()).capture(capture).build();
  }

  private static void finish(EmbeddedServer server, EmbeddedChannel channel) {
    assertFalse(channel.finishAndReleaseAll());
    assertEquals(0, server.state().inFlight());
  }

  private static final String FEEDBACK =
      RawHttp.post(
          "/api/v1/feedback/model/test-model",
          "{\"truth\":1}",
          "Content-Type: application/json",
          "request-id: r1",
          "model-name: test-model",
          "model-version: 1.2");

  @Test
  void feedbackIsAnsweredOnlyOnceStoredAndBeforeTheRequestsAfterIt() {
    Pending capture = new Pending(true);
    EmbeddedServer server = serverWith(capture);
    EmbeddedChannel channel = server.channel();
    String pipelined = FEEDBACK + RawHttp.get("/health/live", "Request-ID: r2");
    assertEquals(List.of(), RawHttp.exchange(channel, pipelined));
    assertEquals(1, capture.stores.size());
    capture.stores.get(0).complete(null);
    channel.runPendingTasks();
    List<Response> responses = RawHttp.read(channel);
    assertEquals(List.of("r1", "r2"), responses.stream().map(r -> r.header("request-id")).toList());
    assertEquals(200, responses.get(0).status());
    assertEquals(
        "{\"requestID\":\"r1\",\"modelVersion\":\"1.2\",\"modelName\":\"test-model\","
            + "\"payload\":{\"json\":{\"truth\":1}}}",
        responses.get(0).body());
    assertEquals(200, responses.get(1).status());
    finish(server, channel);
  }

  @Test
  void nonAsciiHeaderValuesAreReadAsTheUtf8TheyAre() {
    Pending capture = new Pending(true);
    EmbeddedServer server = serverWith(capture);
    EmbeddedChannel channel = server.channel();
    // RawHttp sends the text as UTF-8 bytes, as curl and every HTTP library do.
    String feedback =
        FEEDBACK
            .replace("request-id: r1", "request-id: été")
            .replace("model-name: test-model", "model-name: test-model\r\nX-Note: café ☕");
    assertEquals(List.of(), RawHttp.exchange(channel, feedback));
    capture.stores.get(0).complete(null);
    channel.runPendingTasks();
    Response answer = RawHttp.read(channel).get(0);
    assertEquals(200, answer.status());
    String body =
        new String(answer.body().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    assertTrue(body.startsWith("{\"requestID\":\"été\","), body);
    String invoke = RawHttp.post("/api/model/invoke", "{\"data\":[[1]]}", "X-Note: café ☕");
    assertEquals(200, RawHttp.exchange(channel, invoke).get(0).status());
    Map<?, ?> headers = (Map<?, ?>) capture.offered.get(0).fields().get("request_http_headers");
    assertEquals("café ☕", headers.get("x-note"), headers.toString());
    // Bytes that are no UTF-8 stay what HTTP's Latin-1 reading makes of them.
    assertEquals(null, HeaderValues.utf8("caf\u00e9"));
    finish(server, channel);
  }

  @Test
  void feedbackNotStoredIsRefusedWith502() {
    Pending capture = new Pending(true);
    EmbeddedServer server = serverWith(capture);
    EmbeddedChannel channel = server.channel();
    assertEquals(List.of(), RawHttp.exchange(channel, FEEDBACK));
    capture.stores.get(0).completeExceptionally(new CaptureUnavailableException("disk full"));
    channel.runPendingTasks();
    List<Response> responses = RawHttp.read(channel);
    assertEquals(1, responses.size());
    assertEquals(502, responses.get(0).status());
    assertEquals("{\"error\":\"Cannot deliver message\"}", responses.get(0).body());
    finish(server, channel);
  }

  @Test
  void invokeOffersBothRecordsWithoutProhibitedHeadersWhenCaptureIsOn() {
    Pending capture = new Pending(true);
    EmbeddedServer server = serverWith(capture);
    EmbeddedChannel channel = server.channel();
    String invoke =
        RawHttp.post(
            "/api/model/invoke",
            "{\"data\":[[1]]}",
            "Request-ID: r1",
            "Authorization: Bearer secret",
            "Cookie: session=secret",
            "Proxy-Authorization: Basic secret",
            "X-Api-Key: secret",
            "X-Forwarded-Access-Token: secret",
            "X-Auth-Request-Access-Token: secret",
            "X-Id-Token: secret",
            "X-Amz-Security-Token: secret",
            "X-Amzn-Oidc-Accesstoken: secret",
            "X-Amzn-Oidc-Data: secret",
            "X-Goog-Iap-Jwt-Assertion: secret",
            "X-Auth-Token: secret",
            "X-Access-Token: secret",
            "Apikey: secret",
            "Api-Key: secret",
            "X-Goog-Api-Key: secret",
            "Private-Token: secret",
            "X-Vault-Token: secret",
            "X-Api-Token: secret",
            "X-Forwarded-Authorization: Bearer secret",
            "X-Ms-Token-Aad-Access-Token: secret",
            "X-Userinfo: secret",
            "X-Forwarded-User: secret",
            "X-Forwarded-Email: secret",
            "X-Auth-Request-User: secret",
            "X-Auth-Request-Email: secret",
            "X-Csrf-Token: secret",
            "X-Forwarded-Client-Cert: secret",
            "X-Other: kept");
    assertEquals(200, RawHttp.exchange(channel, invoke).get(0).status());
    assertEquals(
        List.of(CaptureRecord.REQUEST_RESPONSE, CaptureRecord.RESPONSE_BODY),
        capture.offered.stream().map(CaptureRecord::tag).toList());
    Map<String, Object> requestResponse = capture.offered.get(0).fields();
    assertEquals("r1", requestResponse.get("request_id"));
    assertEquals("{\"data\":[[1]]}", requestResponse.get("request_content"));
    Map<?, ?> headers = (Map<?, ?>) requestResponse.get("request_http_headers");
    assertEquals("kept", headers.get("x-other"), headers.toString());
    assertTrue(headers.containsKey("request-id"), headers.toString());
    assertFalse(headers.toString().contains("secret"), headers.toString());
    finish(server, channel);
  }

  @Test
  void credentialsInTheTargetAndInUrlHeadersReachNeitherRecordsNorTheAccessLog() {
    Pending capture = new Pending(true);
    List<RequestLog.Entry> logged = new ArrayList<>();
    EmbeddedServer server =
        EmbeddedServer.builder(new InMemoryBackend())
            .capture(capture)
            .requestLog(logged::add)
            .build();
    EmbeddedChannel channel = server.channel();
    String invoke =
        RawHttp.post(
            "http://u:Pw1Sekret@test/api/model/invoke?token=Tok1Sekret&tenant=a",
            "{\"data\":[[1]]}",
            "Referer: https://u:Pw2Sekret@app.example.com/page?api_token=Tok2Sekret",
            "X-Forwarded-Uri: /api/model/invoke?accessToken=Tok3Sekret",
            "X-Envoy-Original-Path: /api/model/invoke;token=Tok4Sekret?x=1",
            "X-Original-URL: http://gw.example.com/api/model/invoke?%74oken=Tok5Sekret",
            "X-Original-Uri: /api/model/invoke?auth_token=Tok6Sekret");
    assertEquals(200, RawHttp.exchange(channel, invoke).get(0).status());
    Map<String, Object> requestResponse = capture.offered.get(0).fields();
    Map<?, ?> headers = (Map<?, ?>) requestResponse.get("request_http_headers");
    assertEquals("https://app.example.com/page?api_token=****", headers.get("referer"));
    assertEquals("/api/model/invoke;token=****?x=1", headers.get("x-envoy-original-path"));
    assertEquals("/api/model/invoke?auth_token=****", requestResponse.get("request_uri"));
    String kept = capture.offered.toString() + logged.get(0).uri();
    for (String secret :
        List.of(
            "Pw1Sekret",
            "Pw2Sekret",
            "Tok1Sekret",
            "Tok2Sekret",
            "Tok3Sekret",
            "Tok4Sekret",
            "Tok5Sekret",
            "Tok6Sekret")) {
      assertFalse(kept.contains(secret), secret + " in " + kept);
    }
    assertEquals("http://test/api/model/invoke?token=****&tenant=a", logged.get(0).uri());
    finish(server, channel);
  }

  @Test
  void aValidTraceparentReachesTheRequestRecordAMalformedOneDoesNot() {
    Pending capture = new Pending(true);
    EmbeddedServer server = serverWith(capture);
    EmbeddedChannel channel = server.channel();
    String traced =
        RawHttp.post(
            "/api/model/invoke",
            "{\"data\":[[1]]}",
            "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    String malformed =
        RawHttp.post(
            "/api/model/invoke",
            "{\"data\":[[1]]}",
            "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01");
    List<Response> responses = RawHttp.exchange(channel, traced + malformed);
    assertEquals(List.of(200, 200), responses.stream().map(Response::status).toList());
    Map<String, Object> tracedRecord = capture.offered.get(0).fields();
    assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", tracedRecord.get("trace_id"));
    assertEquals("00f067aa0ba902b7", tracedRecord.get("span_id"));
    Map<String, Object> malformedRecord = capture.offered.get(2).fields();
    assertEquals(CaptureRecord.REQUEST_RESPONSE, capture.offered.get(2).tag());
    assertFalse(malformedRecord.containsKey("trace_id"), malformedRecord.toString());
    assertFalse(capture.offered.get(1).fields().containsKey("trace_id"), "response_body: ODAHU's");
    finish(server, channel);
  }

  @Test
  void invokeBuildsNoRecordsWhenCaptureIsOff() {
    EmbeddedServer server = serverWith(new Pending(false));
    EmbeddedChannel channel = server.channel();
    List<Response> responses =
        RawHttp.exchange(channel, RawHttp.post("/api/model/invoke", "{\"data\":[[1]]}"));
    assertEquals(200, responses.get(0).status(), responses.get(0).body());
    finish(server, channel);
  }
}
