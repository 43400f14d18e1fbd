package org.odahu.pack.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.odahu.pack.gppi.testing.CapturedLog;
import org.odahu.pack.server.capture.Capture;
import org.odahu.pack.server.capture.CaptureRecord;
import org.odahu.pack.server.capture.CaptureUnavailableException;

/** ODAHU's feedback collector contract (spec §6.2), without Netty or disks. */
class FeedbackTest {
  /** Capture whose records are stored, lost or left pending as the test says. */
  private static final class Store implements Capture {
    final List<CaptureRecord> records = new ArrayList<>();
    final List<CompletableFuture<Void>> outcomes = new ArrayList<>();
    boolean settleAtOnce = true;

    @Override
    public CompletionStage<Void> store(CaptureRecord record) {
      records.add(record);
      CompletableFuture<Void> outcome = new CompletableFuture<>();
      outcomes.add(outcome);
      if (settleAtOnce) {
        outcome.complete(null);
      }
      return outcome;
    }

    @Override
    public boolean enabled() {
      return true;
    }

    @Override
    public boolean offer(CaptureRecord record) {
      throw new AssertionError("feedback must wait for its record");
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

  private final Store stored = new Store();

  private CompletableFuture<ApiResponse> send(String body, String... headers) {
    Map<String, String> byName = new HashMap<>();
    for (int i = 0; i < headers.length; i += 2) {
      byName.put(headers[i].toLowerCase(Locale.ROOT), headers[i + 1]);
    }
    return new Feedback("wine", "1.0", stored, Duration.ofSeconds(5))
        .handle(byName::get, body.getBytes(StandardCharsets.UTF_8))
        .toCompletableFuture();
  }

  private ApiResponse feedback(String body, String... headers) {
    return send(body, headers).join();
  }

  private static final String[] IDENTITY = {
    "request-id", "r-1", "model-name", "wine", "model-version", "1.0"
  };

  private static String[] with(String... more) {
    String[] all = java.util.Arrays.copyOf(IDENTITY, IDENTITY.length + more.length);
    System.arraycopy(more, 0, all, IDENTITY.length, more.length);
    return all;
  }

  @Test
  void aJsonBodyIsStoredAsPayloadJsonAndEchoed() {
    ApiResponse response =
        feedback("{\"truth\": [1, 2]}", with("Content-Type", "application/json; charset=utf-8"));
    assertEquals(200, response.status());
    assertEquals("application/json; charset=utf-8", response.contentType());
    assertEquals(
        "{\"requestID\":\"r-1\",\"modelVersion\":\"1.0\",\"modelName\":\"wine\","
            + "\"payload\":{\"json\":{\"truth\":[1,2]}}}",
        response.bodyText());
    CaptureRecord record = stored.records.get(0);
    assertEquals(CaptureRecord.FEEDBACK, record.tag());
    assertEquals("wine", record.modelName());
    assertEquals("1.0", record.modelVersion());
    assertEquals(
        "{request_id=r-1, model_version=1.0, model_name=wine, payload={\"json\":{\"truth\":[1,2]}}}",
        record.fields().toString());
  }

  @Test
  void aBodyThatIsNotDeclaredJsonGivesAnEmptyPayloadAndAWarning() {
    ApiResponse response;
    try (CapturedLog log = CapturedLog.of(Feedback.class.getName())) {
      response =
          feedback("{\"truth\": 1}", with("Content-Type", "application/x-www-form-urlencoded"));
      assertEquals(
          List.of(
              "Feedback r-1: its body (12 bytes) is not read, since its Content-Type is"
                  + " application/x-www-form-urlencoded, not application/json; the record's"
                  + " payload is {}"),
          log.messages());
    }
    assertEquals(200, response.status());
    assertEquals(
        "{\"requestID\":\"r-1\",\"modelVersion\":\"1.0\",\"modelName\":\"wine\",\"payload\":{}}",
        response.bodyText());
    assertEquals("{}", stored.records.get(0).fields().get("payload").toString());
  }

  @Test
  void unparsableJsonIs400() {
    // Cut short, blank (a 500 once), or with something after the value, as Go refuses them.
    for (String body : new String[] {"{\"truth\": ", " ", "\n\t", "{\"truth\": 1} 2"}) {
      ApiResponse response = feedback(body, with("Content-Type", "application/json"));
      assertEquals(400, response.status(), body);
      assertEquals("{\"error\":\"Cannot parse data\"}", response.bodyText());
    }
    assertEquals(List.of(), stored.records);
  }

  @Test
  void jsonIsReadAsOdahusGoCollectorReadIt() throws Exception {
    // A number beyond float64 is an error in Go: Jackson read an infinity, stored as "Infinity".
    for (String overflow : new String[] {"{\"a\": 1e400}", "[[1, -1e400]]"}) {
      ApiResponse refused = feedback(overflow, with("Content-Type", "application/json"));
      assertEquals(400, refused.status(), overflow);
      assertEquals("{\"error\":\"Cannot parse data\"}", refused.bodyText());
    }
    assertEquals(List.of(), stored.records);
    // An unpaired surrogate escape is U+FFFD, in the answer and in the record alike (the record
    // held '?' while the answer echoed the surrogate).
    ApiResponse lone =
        feedback(
            "{\"a\": \"x\\ud800\", \"b\": [\"\\ud83d\\ude00\", \"\\udc00y\"]}",
            with("Content-Type", "application/json"));
    assertEquals(200, lone.status());
    String payload = "{\"json\":{\"a\":\"x\uFFFD\",\"b\":[\"\uD83D\uDE00\",\"\uFFFDy\"]}}";
    assertEquals(
        payload,
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(lone.bodyText())
            .get("payload")
            .toString());
    assertEquals(payload, stored.records.get(0).fields().get("payload").toString());
    assertTrue(
        new String(stored.records.get(0).toJsonLine(), StandardCharsets.UTF_8).contains("x\uFFFD"));
  }

  @Test
  void onlyTheRequestIdHeaderCountsNotXRequestId() {
    ApiResponse response =
        feedback("{}", "x-request-id", "r-1", "model-name", "wine", "model-version", "1.0");
    assertEquals(400, response.status());
    assertEquals("{\"error\":\"request-id header is missed\"}", response.bodyText());
    assertEquals(List.of(), stored.records);
  }

  @Test
  void onlyTheServedModelNameAndVersionAreAccepted() {
    for (String[] identity :
        List.of(
            new String[] {"wine2", "1.0"},
            new String[] {"wine", "1.1"},
            new String[] {"..", ".."})) {
      ApiResponse response =
          feedback(
              "{}", "request-id", "r-1", "model-name", identity[0], "model-version", identity[1]);
      assertEquals(400, response.status());
      assertEquals(
          "{\"error\":\"This server takes feedback for model-name wine and model-version 1.0 only,"
              + " got "
              + identity[0]
              + " and "
              + identity[1]
              + "\"}",
          response.bodyText());
    }
    assertEquals(List.of(), stored.records);
  }

  @Test
  void aNonAsciiModelNameIsAcceptedAsWrittenAndAsTheServerAdvertisesIt() {
    // Raw UTF-8 bytes reach Feedback decoded (HeaderValues, CaptureRoutesTest).
    Feedback feedback = new Feedback("modèle", "1.0", stored, Duration.ofSeconds(5));
    for (String header : List.of("modèle", ModelIdentity.headerValue("modèle"))) {
      Map<String, String> headers =
          Map.of("request-id", "r-1", "model-name", header, "model-version", "1.0");
      ApiResponse response =
          feedback
              .handle(headers::get, "{}".getBytes(StandardCharsets.UTF_8))
              .toCompletableFuture()
              .join();
      assertEquals(200, response.status(), header + ": " + response.bodyText());
    }
    assertEquals("mod%C3%A8le", ModelIdentity.headerValue("modèle"));
    ApiResponse other =
        feedback
            .handle(
                Map.of("request-id", "r-1", "model-name", "modele", "model-version", "1.0")::get,
                "{}".getBytes(StandardCharsets.UTF_8))
            .toCompletableFuture()
            .join();
    assertEquals(400, other.status());
  }

  @Test
  void theAnswerWaitsUntilTheRecordIsStored() {
    stored.settleAtOnce = false;
    CompletableFuture<ApiResponse> answer = send("{}", IDENTITY);
    assertFalse(answer.isDone());
    stored.outcomes.get(0).complete(null);
    assertEquals(200, answer.join().status());
  }

  @Test
  void aRecordThatIsNotStoredIsRefusedWith502NeverAcknowledged() {
    stored.settleAtOnce = false;
    CompletableFuture<ApiResponse> answer = send("{}", IDENTITY);
    stored.outcomes.get(0).completeExceptionally(new CaptureUnavailableException("disk full"));
    assertEquals(502, answer.join().status());
    assertEquals("{\"error\":\"Cannot deliver message\"}", answer.join().bodyText());
    ApiResponse off =
        new Feedback("wine", "1.0", Capture.disabled(), Duration.ofSeconds(5))
            .handle(
                h -> h.equals("request-id") ? "r" : h.equals("model-name") ? "wine" : "1.0",
                new byte[0])
            .toCompletableFuture()
            .join();
    assertEquals(502, off.status());
  }

  @Test
  void aRecordNotStoredWithinTheDeliveryTimeoutIsRefused() {
    stored.settleAtOnce = false;
    ApiResponse response =
        new Feedback("wine", "1.0", stored, Duration.ofMillis(50))
            .handle(
                h -> h.equals("request-id") ? "r" : h.equals("model-name") ? "wine" : "1.0",
                new byte[0])
            .toCompletableFuture()
            .join();
    assertEquals(502, response.status());
  }
}
