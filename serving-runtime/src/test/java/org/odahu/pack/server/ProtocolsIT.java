package org.odahu.pack.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.odahu.pack.artifact.testing.Examples;

/**
 * ODAHU's API, the Open Inference Protocol and MLflow's scoring protocol on a real server of the
 * wine model (real CPython workers): the same rows give the same predictions whatever the API, the
 * OpenAPI document's examples are real predictions, and merged requests of different APIs each get
 * their own rows' answers.
 */
class ProtocolsIT {
  /** BLAS may differ in the last bits between CPUs. */
  static final double TOLERANCE = 1e-9;

  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  static ModelServer server;

  @BeforeAll
  static void start() throws Exception {
    server = ModelServerIT.start(ModelServerIT.config(Examples.artifact("wine")).build());
    server.backend().start().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() {
    server.shutdown();
  }

  static HttpRequest.Builder request(int port, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(60));
  }

  static HttpResponse<String> post(int port, String path, String contentType, String body) {
    return send(
        request(port, path)
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  static HttpResponse<String> send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static JsonNode ok(HttpResponse<String> response) throws IOException {
    assertEquals(200, response.statusCode(), response.body());
    return JSON.readTree(response.body());
  }

  /** The predictions of an answer of any of the three APIs. */
  static List<Double> predictions(String path, JsonNode answer) {
    JsonNode values =
        path.startsWith("/v2")
            ? answer.get("outputs").get(0).get("data")
            : answer.has("prediction") ? answer.get("prediction") : answer.get("predictions");
    List<Double> numbers = new ArrayList<>();
    values.forEach(
        value ->
            numbers.add(value.isObject() ? value.get("quality").asDouble() : value.asDouble()));
    return numbers;
  }

  /** The same rows in each API's formats: path, content type, body. */
  static Map<String, String[]> requests(JsonNode odahu) {
    ArrayNode columns = (ArrayNode) odahu.get("columns");
    ArrayNode rows = (ArrayNode) odahu.get("data");
    int width = columns.size();
    Map<String, String[]> requests = new LinkedHashMap<>();
    requests.put("ODAHU invoke", json("/api/model/invoke", odahu));

    ObjectNode matrix = JSON.createObjectNode();
    matrix.put("name", "wine").putArray("shape").add(rows.size()).add(width);
    matrix.put("datatype", "FP64").set("data", rows);
    matrix.putObject("parameters").set("columns", columns);
    requests.put("OIP 2-D input", json("/v2/models/wine/infer", inputs(List.of(matrix))));
    List<ObjectNode> perColumn = new ArrayList<>();
    for (int c = 0; c < width; c++) {
      ObjectNode column = JSON.createObjectNode().put("name", columns.get(c).asText());
      column.putArray("shape").add(rows.size());
      ArrayNode data = column.put("datatype", "FP64").putArray("data");
      for (JsonNode row : rows) {
        data.add(row.get(c));
      }
      perColumn.add(column);
    }
    requests.put("OIP 1-D inputs", json("/v2/models/wine/versions/1.0/infer", inputs(perColumn)));

    requests.put("MLflow dataframe_split", json("/invocations", wrap("dataframe_split", odahu)));
    ArrayNode records = JSON.createArrayNode();
    ObjectNode columnar = JSON.createObjectNode();
    for (JsonNode row : rows) {
      ObjectNode record = records.addObject();
      for (int c = 0; c < width; c++) {
        record.set(columns.get(c).asText(), row.get(c));
        columnar.withArray(columns.get(c).asText()).add(row.get(c));
      }
    }
    requests.put(
        "MLflow dataframe_records", json("/invocations", wrap("dataframe_records", records)));
    requests.put("MLflow instances", json("/invocations", wrap("instances", records)));
    requests.put("MLflow inputs", json("/invocations", wrap("inputs", columnar)));
    StringBuilder csv = new StringBuilder();
    columns.forEach(name -> csv.append(csv.isEmpty() ? "" : ",").append(name.asText()));
    for (JsonNode row : rows) {
      csv.append('\n');
      for (int c = 0; c < width; c++) {
        csv.append(c == 0 ? "" : ",").append(row.get(c).asText());
      }
    }
    requests.put(
        "MLflow CSV", new String[] {"/invocations", "text/csv", csv.append('\n').toString()});
    return requests;
  }

  static ObjectNode inputs(List<ObjectNode> tensors) {
    ObjectNode request = JSON.createObjectNode();
    request.putArray("inputs").addAll(tensors);
    return request;
  }

  static ObjectNode wrap(String field, JsonNode value) {
    ObjectNode wrapped = JSON.createObjectNode();
    wrapped.set(field, value);
    return wrapped;
  }

  static String[] json(String path, JsonNode body) {
    return new String[] {path, "application/json", body.toString()};
  }

  static void assertSamePredictions(String file) throws Exception {
    JsonNode odahu = JSON.readTree(Files.readString(Examples.data(file)));
    List<Double> expected = null;
    for (Map.Entry<String, String[]> api : requests(odahu).entrySet()) {
      String[] request = api.getValue();
      List<Double> answer =
          predictions(request[0], ok(post(server.port(), request[0], request[1], request[2])));
      if (expected == null) {
        expected = answer;
        assertEquals(odahu.get("data").size(), answer.size());
      }
      for (int i = 0; i < expected.size(); i++) {
        assertEquals(expected.get(i), answer.get(i), TOLERANCE, api.getKey() + ", row " + i);
      }
    }
  }

  @Test
  void theSameWineRowGivesTheSamePredictionThroughEveryApi() throws Exception {
    assertSamePredictions("wine-request.json");
    JsonNode v2 =
        ok(
            post(
                server.port(),
                "/v2/models/wine/infer",
                "application/json",
                requests(JSON.readTree(Files.readString(Examples.data("wine-request.json"))))
                    .get("OIP 2-D input")[2]));
    assertEquals(Examples.WINE_GOLDEN, predictions("/v2", v2).get(0), TOLERANCE);
  }

  @Test
  void aHundredRowsGiveTheSamePredictionsThroughEveryApi() throws Exception {
    assertSamePredictions("wine-request-100.json");
  }

  @Test
  void theOpenApiDocumentsExamplesAreRealPredictions() throws Exception {
    JsonNode document = ok(send(request(server.port(), "/openapi.json").GET().build()));
    int sent = 0;
    for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
      JsonNode content = path.getValue().at("/post/requestBody/content");
      String target = path.getKey().replace("{name}", "wine").replace("{version}", "1.0");
      for (Map.Entry<String, JsonNode> type : content.properties()) {
        List<JsonNode> examples = new ArrayList<>();
        if (type.getValue().has("example")) {
          examples.add(type.getValue().get("example"));
        }
        type.getValue().path("examples").forEach(example -> examples.add(example.get("value")));
        for (JsonNode example : examples) {
          String body = example.isTextual() ? example.asText() : example.toString();
          HttpResponse<String> answer = post(server.port(), target, type.getKey(), body);
          assertEquals(
              200,
              answer.statusCode(),
              target + " " + type.getKey() + " " + body + ": " + answer.body());
          sent++;
        }
      }
    }
    assertEquals(8, sent, "ODAHU's, two OIP on each of two paths, three MLflow; feedback has none");
  }

  @Test
  void eachApisErrorsOnARealServer() {
    HttpResponse<String> unknownModel =
        post(server.port(), "/v2/models/beer/infer", "application/json", "{}");
    assertEquals(404, unknownModel.statusCode());
    assertTrue(unknownModel.body().startsWith("{\"error\":"));
    HttpResponse<String> shape =
        post(
            server.port(),
            "/v2/models/wine/infer",
            "application/json",
            "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,11],\"datatype\":\"FP64\",\"data\":[1,2]}]}");
    assertEquals(400, shape.statusCode());
    assertEquals(
        "{\"error\":\"Input \\\"x\\\": its shape [1, 11] holds 11 element(s), its data has 2\"}",
        shape.body());
    HttpResponse<String> text = post(server.port(), "/invocations", "text/plain", "1,2");
    assertEquals(415, text.statusCode());
    HttpResponse<String> model =
        post(server.port(), "/invocations", "application/json", "{\"inputs\": [[1, 2]]}");
    // The model raises (two values for eleven columns): MLflow's scoring server answers 400.
    assertEquals(400, model.statusCode(), model.body());
    // MLflow's json.loads reads NaN: it reaches the model, which refuses missing values.
    HttpResponse<String> missing =
        post(
            server.port(),
            "/invocations",
            "application/json",
            "{\"inputs\": [[NaN" + ", 1".repeat(10) + "]]}");
    assertEquals(400, missing.statusCode(), missing.body());
    assertTrue(
        missing.body().matches(".*Exception during prediction: .*contains NaN.*"), missing.body());
    assertTrue(
        model
            .body()
            .startsWith(
                "{\"error_code\": \"BAD_REQUEST\", \"message\": \"Encountered an unexpected error"
                    + " while evaluating the model. Verify that the serialized input Dataframe is"
                    + " compatible with the model for inference. Exception during prediction: "),
        model.body());
    // ODAHU's route keeps ODAHU's 500 for the same exception.
    assertEquals(
        500,
        post(server.port(), "/api/model/invoke", "application/json", "{\"data\": [[1, 2]]}")
            .statusCode());
    // A path under /v2 that no route has is answered in the protocol's own shape.
    HttpResponse<String> noRoute = send(request(server.port(), "/v2/models").GET().build());
    assertEquals(404, noRoute.statusCode());
    assertEquals("{\"error\":\"Not found: /v2/models\"}", noRoute.body());
  }

  @Test
  void theOutputsAskedForAreTheAnswersNotInfos() throws Exception {
    // wine's info() names its output "quality"; its answer names it too. "prediction" is the
    // whole-answer tensor's name only when the answer has no name of its own.
    String row = Files.readString(Examples.data("wine-request.json"));
    JsonNode odahu = JSON.readTree(row);
    String body = requests(odahu).get("OIP 2-D input")[2];
    String asked = body.substring(0, body.length() - 1) + ",\"outputs\":[{\"name\":\"quality\"}]}";
    JsonNode answer = ok(post(server.port(), "/v2/models/wine/infer", "application/json", asked));
    assertEquals("quality", answer.get("outputs").get(0).get("name").asText());
    String unknown = body.substring(0, body.length() - 1) + ",\"outputs\":[{\"name\":\"z\"}]}";
    HttpResponse<String> refused =
        post(server.port(), "/v2/models/wine/infer", "application/json", unknown);
    assertEquals(400, refused.statusCode());
    assertEquals(
        "{\"error\":\"The model has no output \\\"z\\\"; its outputs are: quality\"}",
        refused.body());
  }

  @Test
  void mergedRequestsOfDifferentApisEachGetTheirOwnRows() throws Exception {
    JsonNode hundred = JSON.readTree(Files.readString(Examples.data("wine-request-100.json")));
    List<Double> expected =
        predictions(
            "/api",
            ok(post(server.port(), "/api/model/invoke", "application/json", hundred.toString())));
    ModelServer batching =
        ModelServerIT.start(ModelServerIT.config(Examples.artifact("wine")).batching(true).build());
    try {
      batching.backend().start().toCompletableFuture().get(120, TimeUnit.SECONDS);
      List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
      List<String> paths = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        ObjectNode one = JSON.createObjectNode();
        one.set("columns", hundred.get("columns"));
        one.putArray("data").add(hundred.get("data").get(i));
        String[] request = new ArrayList<>(requests(one).values()).get(i % 8);
        paths.add(request[0]);
        answers.add(
            HTTP.sendAsync(
                request(batching.port(), request[0])
                    .header("Content-Type", request[1])
                    .POST(HttpRequest.BodyPublishers.ofString(request[2]))
                    .build(),
                HttpResponse.BodyHandlers.ofString()));
      }
      for (int i = 0; i < answers.size(); i++) {
        JsonNode answer = ok(answers.get(i).get(60, TimeUnit.SECONDS));
        assertEquals(
            expected.get(i), predictions(paths.get(i), answer).get(0), TOLERANCE, "row " + i);
      }
    } finally {
      batching.shutdown();
    }
  }
}
