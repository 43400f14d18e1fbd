package org.odahu.pack.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.testing.Examples;

/** The server over real sockets, with real CPython workers and the example models. */
class ModelServerIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  @TempDir Path temp;

  static ServerConfigBuilder config(Path artifact) {
    return ServerConfig.builder(artifact)
        .host("127.0.0.1")
        .port(0)
        .python(Examples.python())
        .accessLog(false);
  }

  /** A started server, with its output thrown away. */
  static ModelServer start(ServerConfig config) throws InterruptedException {
    return ModelServer.start(
        config,
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
        new PrintStream(OutputStream.nullOutputStream()));
  }

  /** A started server whose model is ready, for the duration of {@code test}. */
  static void serve(ServerConfig config, boolean awaitReady, Consumer<Client> test)
      throws Exception {
    ModelServer server = start(config);
    try {
      if (awaitReady) {
        server.backend().start().toCompletableFuture().get(60, TimeUnit.SECONDS);
      }
      test.accept(new Client(server.port()));
    } finally {
      server.shutdown();
    }
  }

  /** A tiny HTTP client bound to one server; {@code headers} are name, value, name, value... */
  record Client(int port) {
    HttpResponse<String> post(String path, String body, String... headers) {
      return post(path, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    HttpResponse<String> post(String path, byte[] body, String... headers) {
      return send(
          request(path, headers)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    HttpResponse<String> get(String path, String... headers) {
      return send(request(path, headers));
    }

    HttpResponse<String> invoke(String body) {
      return post("/api/model/invoke", body);
    }

    private HttpRequest.Builder request(String path, String... headers) {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
              .timeout(Duration.ofSeconds(60));
      for (int i = 0; i < headers.length; i += 2) {
        request.header(headers[i], headers[i + 1]);
      }
      return request;
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
      try {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  static String wineRequest() throws IOException {
    return Files.readString(Examples.data("wine-request.json"));
  }

  @Test
  void wineGoldenValueOverHttp() throws Exception {
    String request = wineRequest();
    serve(
        config(Examples.gzipTarball("wine")).build(),
        true,
        client -> {
          HttpResponse<String> response = client.invoke(request);
          assertEquals(200, response.statusCode());
          JsonNode body = read(response.body());
          assertEquals(Examples.WINE_GOLDEN, body.at("/prediction/0").asDouble(), 1e-9);
          assertEquals("[\"quality\"]", body.get("columns").toString());
          assertEquals("wine", response.headers().firstValue("Model-Name").orElseThrow());
          assertEquals("1.0", response.headers().firstValue("Model-Version").orElseThrow());
          assertTrue(response.headers().firstValue("Request-ID").isPresent());
          assertEquals(
              "application/json", response.headers().firstValue("Content-Type").orElseThrow());
        });
  }

  static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new AssertionError(json, e);
    }
  }

  @Test
  void swaggerGoldenFilesForSimpleAndWine() throws Exception {
    for (String model : List.of("simple", "wine")) {
      String golden =
          new String(
              ModelServerIT.class.getResourceAsStream("/swagger/" + model + ".json").readAllBytes(),
              StandardCharsets.UTF_8);
      serve(
          config(Examples.artifact(model)).modelName("Model API").modelVersion("1.0").build(),
          true,
          client -> {
            HttpResponse<String> info = client.get("/api/model/info");
            assertEquals(200, info.statusCode());
            assertEquals(golden, info.body(), model);
          });
    }
  }

  @Test
  void aTakenPortIsAClearErrorAndLeavesNoWorkerBehind() throws Exception {
    List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.logging.Handler handler =
        new java.util.logging.Handler() {
          @Override
          public void publish(java.util.logging.LogRecord record) {
            if (record.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
              errors.add(record.getMessage());
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
    root.addHandler(handler);
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      ServerBindException error =
          assertThrows(
              ServerBindException.class,
              () -> start(config(Examples.artifact("wine")).port(port).build()));
      assertEquals(
          "Cannot bind 127.0.0.1:" + port + ": Address already in use", error.getMessage());
      waitFor(() -> pythonProcesses(ProcessHandle.current()).isEmpty());
      // The one error is the bind's: the model's start, cut short by it, is not another.
      assertEquals(List.of(), errors);
    } finally {
      root.removeHandler(handler);
    }
  }

  /** The Python processes among {@code parent}'s descendants. */
  static List<ProcessHandle> pythonProcesses(ProcessHandle parent) {
    return parent
        .descendants()
        .filter(p -> p.info().command().orElse("").contains("python"))
        .toList();
  }

  static void join(Thread thread) {
    try {
      thread.join(30_000);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  static void waitFor(java.util.function.BooleanSupplier condition) {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < until, "condition not reached in 30 s");
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  @Test
  void captureAndFeedbackFilesInOdahusLayout() throws Exception {
    Path capture = temp.resolve("capture");
    List<String> ids = new ArrayList<>();
    serve(
        config(Examples.artifact("echo")).captureDir(capture).build(),
        true,
        client -> {
          for (int i = 0; i < 3; i++) {
            HttpResponse<String> response =
                client.post(
                    "/api/model/invoke",
                    "{\"data\":[[" + i + "]]}",
                    "Authorization",
                    "Bearer secret-token-" + i,
                    "X-Original-URI",
                    "/model/echo/api/model/invoke?token=secret-token");
            assertEquals(200, response.statusCode());
            ids.add(response.headers().firstValue("Request-ID").orElseThrow());
          }
          HttpResponse<String> feedback =
              client.post(
                  "/api/v1/feedback/model/echo/api/model",
                  "{\"truth\": 42}",
                  "request-id",
                  ids.get(0),
                  "model-name",
                  "echo",
                  "model-version",
                  "1.0");
          assertEquals(200, feedback.statusCode());
          assertEquals(
              "{\"requestID\":\""
                  + ids.get(0)
                  + "\",\"modelVersion\":\"1.0\",\"modelName\":\"echo\",\"payload\":{\"json\":{\"truth\":42}}}",
              feedback.body());
          assertEquals(
              "application/json; charset=utf-8",
              feedback.headers().firstValue("Content-Type").orElseThrow());
        });
    List<JsonNode> requestResponse = records(capture, "request_response", "echo", "1.0");
    List<JsonNode> responseBody = records(capture, "response_body", "echo", "1.0");
    List<JsonNode> feedback = records(capture, "feedback", "echo", "1.0");
    assertEquals(ids, requestResponse.stream().map(r -> r.get("request_id").asText()).toList());
    assertEquals(ids, responseBody.stream().map(r -> r.get("request_id").asText()).toList());
    JsonNode first = requestResponse.get(0);
    assertEquals("{\"data\":[[0]]}", first.get("request_content").asText());
    assertEquals("/model/echo/api/model/invoke?token=****", first.get("request_uri").asText());
    assertEquals("200", first.get("response_status").asText());
    assertEquals("POST", first.get("request_http_method").asText());
    assertEquals("echo", first.get("model_name").asText());
    assertFalse(first.get("request_http_headers").has("authorization"));
    assertTrue(first.get("request_http_headers").has("x-original-uri"));
    assertEquals(ids.get(0), first.at("/response_http_headers/request-id").asText());
    assertTrue(
        first.get("time").asText().matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\+0000"));
    assertEquals(
        "{\"prediction\":[[0]],\"columns\":[\"col0\"]}",
        responseBody.get(0).get("response_content").asText());
    assertEquals(42, feedback.get(0).at("/payload/json/truth").asInt());
    try (Stream<Path> files = Files.walk(capture)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        assertFalse(Files.readString(file).contains("secret-token"), file.toString());
      }
    }
  }

  /** Every JSON line under {@code model_log/<tag>/<model>/<version>/}, in file order. */
  static List<JsonNode> records(Path capture, String tag, String model, String version)
      throws IOException {
    Path root = capture.resolve("model_log").resolve(tag).resolve(model).resolve(version);
    List<JsonNode> records = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        String relative = root.relativize(file).toString();
        assertTrue(
            relative.matches("year=\\d{4}/month=\\d\\d/day=\\d\\d/\\d{10}_\\d+\\.json"), relative);
        for (String line : Files.readAllLines(file)) {
          records.add(read(line));
        }
      }
    }
    return records;
  }
}
