package org.odahu.pack.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.odahu.pack.gppi.Prediction;
import org.odahu.pack.gppi.PredictionInput;
import org.odahu.pack.gppi.PredictionTimeoutException;
import org.odahu.pack.gppi.QueueFullException;
import org.odahu.pack.server.capture.Capture;
import org.odahu.pack.server.capture.CaptureRecord;
import org.odahu.pack.server.testing.EmbeddedServer;
import org.odahu.pack.server.testing.InMemoryBackend;
import org.odahu.pack.server.testing.RawHttp;
import org.odahu.pack.server.testing.RawHttp.Response;

/**
 * The Open Inference Protocol and MLflow routes through the real connection pipeline: status codes,
 * error shapes, the shared pipeline's refusals, capture records and metrics.
 */
class ApiRoutesTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String INFER =
      "{\"inputs\":[{\"name\":\"a\",\"shape\":[2],\"datatype\":\"BYTES\",\"data\":[\"x\",\"y\"]}]}";

  final InMemoryBackend backend = new InMemoryBackend();

  static Response one(EmbeddedServer server, String raw) {
    EmbeddedChannel channel = server.channel();
    List<Response> responses = RawHttp.exchange(channel, raw);
    assertFalse(channel.finishAndReleaseAll(), "no buffer left behind");
    assertEquals(1, responses.size());
    return responses.get(0);
  }

  Response one(String raw) {
    return one(EmbeddedServer.around(backend), raw);
  }

  static String post(String path, String contentType, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return "POST "
        + path
        + " HTTP/1.1\r\nHost: test\r\nContent-Type: "
        + contentType
        + "\r\nContent-Length: "
        + bytes.length
        + "\r\n\r\n"
        + body;
  }

  static JsonNode json(Response response) throws Exception {
    return JSON.readTree(response.body());
  }

  @Test
  void serverMetadataAndHealth() throws Exception {
    JsonNode metadata = json(one(RawHttp.get("/v2")));
    assertEquals("odahu-pack", metadata.get("name").asText());
    assertTrue(metadata.get("extensions").isArray());
    assertEquals("{\"live\":true}", one(RawHttp.get("/v2/health/live")).body());
    assertEquals("{\"ready\":true}", one(RawHttp.get("/v2/health/ready")).body());
    Response model = one(RawHttp.get("/v2/models/test-model/ready"));
    assertEquals("{\"name\":\"test-model\",\"ready\":true}", model.body());
    assertEquals("test-model", model.header("model-name"));
    backend.ready(false, "starting");
    Response notReady = one(RawHttp.get("/v2/models/test-model/versions/1.2/ready"));
    assertEquals(503, notReady.status());
    assertEquals("{\"name\":\"test-model\",\"ready\":false}", notReady.body());
    assertEquals(503, one(RawHttp.get("/v2/health/ready")).status());
  }

  @Test
  void modelMetadataByNameAndVersionAndUnknownOnes() throws Exception {
    JsonNode metadata = json(one(RawHttp.get("/v2/models/test-model/versions/1.2")));
    assertEquals("a", metadata.get("inputs").get(0).get("name").asText());
    assertEquals("BYTES", metadata.get("inputs").get(0).get("datatype").asText());
    assertEquals(json(one(RawHttp.get("/v2/models/test-model"))), metadata);
    Response unknown = one(RawHttp.get("/v2/models/other"));
    assertEquals(404, unknown.status());
    assertEquals(
        "{\"error\":\"Model \\\"other\\\" is not served here; this server serves \\\"test-model\\\"\"}",
        unknown.body());
    Response version = one(RawHttp.get("/v2/models/test-model/versions/9/ready"));
    assertEquals(404, version.status());
    assertTrue(version.body().startsWith("{\"error\":"), version.body());
  }

  @Test
  void inferAnswersTensorsAndRefusesInItsFormat() throws Exception {
    Response answer = one(RawHttp.post("/v2/models/test-model/infer", INFER, "Request-ID: r9"));
    assertEquals(200, answer.status(), answer.body());
    JsonNode body = json(answer);
    assertEquals("r9", body.get("id").asText(), "without an id, the request id");
    // the echo model answers its input rows, with the one column name "echo"
    assertEquals("echo", body.get("outputs").get(0).get("name").asText());
    assertEquals("[\"x\",\"y\"]", body.get("outputs").get(0).get("data").toString());
    assertEquals("[2]", body.get("outputs").get(0).get("shape").toString());
    assertEquals("BYTES", body.get("outputs").get(0).get("datatype").asText());
    assertEquals(
        415, one(post("/v2/models/test-model/infer", "application/octet-stream", INFER)).status());
    Response wrongType =
        one(RawHttp.post("/v2/models/test-model/versions/1.2/infer", INFER.replace("\"x\"", "1")));
    assertEquals(400, wrongType.status());
    assertTrue(wrongType.body().startsWith("{\"error\":\"Input \\\"a\\\" has datatype BYTES"));
    assertEquals(404, one(RawHttp.post("/v2/models/test-model/versions/2/infer", INFER)).status());
  }

  @Test
  void anOutputTheAnswerDoesNotHaveIsRefusedOnceTheModelHasAnswered() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    backend.answer(
        input -> {
          calls.incrementAndGet();
          return InMemoryBackend.echo(input);
        });
    String request =
        INFER.substring(0, INFER.length() - 1) + ", \"outputs\": [{\"name\": \"prediction\"}]}";
    Response refused = one(RawHttp.post("/v2/models/test-model/infer", request));
    assertEquals(400, refused.status(), refused.body());
    assertTrue(refused.body().contains("no output \\\"prediction\\\""), refused.body());
    // Checked against the answer's names, not info()'s, which may be out of date.
    assertEquals(1, calls.get());
    Response named =
        one(RawHttp.post("/v2/models/test-model/infer", request.replace("prediction", "echo")));
    assertEquals(200, named.status(), named.body());
    assertEquals(2, calls.get());
  }

  /**
   * KServe addresses the model by its InferenceService's name; that name is the protocol's alone:
   * the model keeps its own in headers, ODAHU's swagger and OpenAPI's title.
   */
  @Test
  void theOpenInferenceProtocolMayNameTheModelAsKServeDoesWithoutRenamingIt() throws Exception {
    EmbeddedServer server = EmbeddedServer.builder(backend).v2Name("wine-1-0").build();
    Response ready = one(server, RawHttp.get("/v2/models/wine-1-0/ready"));
    assertEquals("{\"name\":\"wine-1-0\",\"ready\":true}", ready.body());
    assertEquals("test-model", ready.header("model-name"));
    assertEquals(
        "wine-1-0", json(one(server, RawHttp.get("/v2/models/wine-1-0"))).get("name").asText());
    Response answer = one(server, RawHttp.post("/v2/models/wine-1-0/versions/1.2/infer", INFER));
    assertEquals(200, answer.status(), answer.body());
    assertEquals("wine-1-0", json(answer).get("model_name").asText());
    assertEquals("test-model", answer.header("model-name"));
    Response own = one(server, RawHttp.get("/v2/models/test-model"));
    assertEquals(404, own.status());
    assertTrue(own.body().contains("this server serves \\\"wine-1-0\\\""), own.body());
    JsonNode info = json(one(server, RawHttp.get("/api/model/info")));
    assertEquals("test-model", info.get("info").get("title").asText());
    JsonNode openApi = json(one(server, RawHttp.get("/openapi.json")));
    assertEquals("test-model", openApi.get("info").get("title").asText());
    assertEquals(
        "wine-1-0",
        openApi.at("/paths/~1v2~1models~1{name}~1infer/post/parameters/0/example").asText(),
        openApi.at("/paths").toString());
  }

  @Test
  void mlflowRoutes() {
    assertEquals("\n", one(RawHttp.get("/ping")).body());
    assertEquals(200, one(RawHttp.get("/health")).status());
    Response version = one(RawHttp.get("/version"));
    assertEquals(200, version.status());
    assertFalse(version.body().isBlank());
    Response answer = one(post("/invocations", "application/json", "{\"inputs\": [[1, 2]]}"));
    assertEquals(200, answer.status(), answer.body());
    assertEquals("{\"predictions\": [[1, 2]]}", answer.body());
    Response csv = one(post("/invocations", "text/csv", "a\n1\n2\n"));
    assertEquals("{\"predictions\": [{\"echo\":1},{\"echo\":2}]}", csv.body());
    Response unsupported = one(post("/invocations", "text/plain", "1"));
    assertEquals(415, unsupported.status());
    assertTrue(unsupported.body().startsWith("{\"error_code\": \"BAD_REQUEST\", \"message\":"));
    backend.ready(false, "The model is starting");
    Response notReady = one(RawHttp.get("/ping"));
    assertEquals(503, notReady.status());
    assertEquals(
        "{\"error_code\": \"TEMPORARILY_UNAVAILABLE\", \"message\": \"The model is starting\"}",
        notReady.body());
  }

  @Test
  void everyApiGoesThroughThePipelinesRefusals() {
    backend.answer(input -> CompletableFuture.failedFuture(new QueueFullException("Queue full")));
    Response v2 = one(RawHttp.post("/v2/models/test-model/infer", INFER));
    assertEquals(503, v2.status());
    assertEquals("1", v2.header("retry-after"));
    assertEquals("{\"error\":\"Queue full\"}", v2.body());
    Response mlflow = one(post("/invocations", "application/json", "{\"inputs\": [[1]]}"));
    assertEquals(503, mlflow.status());
    assertTrue(mlflow.body().contains("TEMPORARILY_UNAVAILABLE"));
    backend.answer(input -> CompletableFuture.failedFuture(new PredictionTimeoutException("slow")));
    assertEquals(504, one(RawHttp.post("/v2/models/test-model/infer", INFER)).status());
    Response timeout = one(post("/invocations", "application/json", "{\"inputs\": [[1]]}"));
    assertEquals(504, timeout.status());
    assertTrue(timeout.body().contains("DEADLINE_EXCEEDED"));
  }

  @Test
  void captureRecordsAreTaggedWithTheApiAndHoldTheRequestAsReceived() {
    List<CaptureRecord> records = new ArrayList<>();
    EmbeddedServer server = EmbeddedServer.builder(backend).capture(keeping(records)).build();
    String csv = "a\n1\n";
    one(server, post("/invocations", "text/csv", csv));
    one(server, RawHttp.post("/v2/models/test-model/infer", INFER));
    one(server, RawHttp.post("/api/model/invoke", "{\"data\":[[1]]}"));
    List<Map<String, Object>> requests =
        records.stream()
            .filter(record -> record.tag().equals(CaptureRecord.REQUEST_RESPONSE))
            .map(CaptureRecord::fields)
            .toList();
    assertEquals(
        List.of("mlflow", "v2", "odahu"), requests.stream().map(r -> r.get("api")).toList());
    assertEquals(csv, requests.get(0).get("request_content"));
    assertEquals(INFER, requests.get(1).get("request_content"));
    assertEquals("/v2/models/test-model/infer", requests.get(1).get("request_uri"));
  }

  @Test
  void metricsAreLabelledByRouteTemplate() {
    EmbeddedServer server = EmbeddedServer.around(backend);
    one(server, RawHttp.post("/v2/models/test-model/infer", INFER));
    one(server, RawHttp.post("/v2/models/test-model/versions/1.2/infer", INFER));
    String scrape = server.registry().scrape();
    assertTrue(
        scrape.contains(
            "odahu_http_requests_total{method=\"POST\",route=\"/v2/models/{name}/infer\",status=\"200\"} 1.0"),
        scrape);
    assertTrue(
        scrape.contains("route=\"/v2/models/{name}/versions/{version}/infer\",status=\"200\"} 1.0"),
        scrape);
  }

  @Test
  void theModelSeesTheSameInputWhateverTheApi() {
    List<PredictionInput> seen = new ArrayList<>();
    Function<PredictionInput, CompletionStage<Prediction>> recording =
        input -> {
          seen.add(input);
          return InMemoryBackend.echo(input);
        };
    backend.answer(recording);
    EmbeddedServer server = EmbeddedServer.around(backend);
    one(
        server,
        RawHttp.post("/api/model/invoke", "{\"columns\":[\"a\"],\"data\":[[\"x\"],[\"y\"]]}"));
    one(server, RawHttp.post("/v2/models/test-model/infer", INFER));
    one(
        server,
        post(
            "/invocations",
            "application/json",
            "{\"dataframe_split\":{\"columns\":[\"a\"],\"data\":[[\"x\"],[\"y\"]]}}"));
    one(server, post("/invocations", "text/csv", "a\nx\ny\n"));
    assertEquals(4, seen.size());
    for (PredictionInput input : seen) {
      assertEquals("[\"a\"]", input.columns().toString());
      assertEquals("[[\"x\"],[\"y\"]]", input.data().toString());
    }
  }

  private static Capture keeping(List<CaptureRecord> records) {
    return new Capture() {
      @Override
      public boolean enabled() {
        return true;
      }

      @Override
      public boolean offer(CaptureRecord record) {
        records.add(record);
        return true;
      }

      @Override
      public CompletionStage<Void> store(CaptureRecord record) {
        records.add(record);
        return CompletableFuture.completedFuture(null);
      }

      @Override
      public int depth() {
        return 0;
      }

      @Override
      public long written() {
        return records.size();
      }

      @Override
      public long dropped() {
        return 0;
      }

      @Override
      public void close() {}
    };
  }
}
