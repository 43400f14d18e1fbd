package org.odahu.pack.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.server.testing.RawHttp;
import org.odahu.pack.server.testing.RawHttp.Connection;
import org.odahu.pack.server.testing.RawHttp.Response;

/**
 * What clients put on the wire, over real sockets to a server with a real CPython worker running
 * the echo model: deep pipelining, malformed and unsupported requests.
 */
class HttpEdgeIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static ModelServer echo;

  @BeforeAll
  static void startEcho() throws Exception {
    echo = started(ModelServerIT.config(Examples.artifact("echo")).build());
  }

  @AfterAll
  static void stopEcho() {
    echo.shutdown();
  }

  private static ModelServer started(ServerConfig config) throws Exception {
    ModelServer server = ModelServerIT.start(config);
    server.backend().start().toCompletableFuture().get(60, TimeUnit.SECONDS);
    return server;
  }

  private static String invoke(int i) {
    return RawHttp.post("/api/model/invoke", "{\"data\":[[" + i + "]]}", "Request-ID: p-" + i);
  }

  @ParameterizedTest
  @ValueSource(ints = {200, 1000})
  void everyPipelinedRequestIsAnsweredInOrder(int count) {
    StringBuilder burst = new StringBuilder();
    for (int i = 0; i < count; i++) {
      burst.append(invoke(i));
    }
    try (Connection connection = RawHttp.Connection.open(echo.port())) {
      List<Response> responses = connection.send(burst.toString()).read(count, WAIT);
      for (int i = 0; i < count; i++) {
        Response response = responses.get(i);
        assertEquals("p-" + i, response.header("request-id"));
        assertEquals(200, response.status(), response.body());
        assertEquals("{\"prediction\":[[" + i + "]],\"columns\":[\"col0\"]}", response.body());
      }
    }
  }

  @Test
  void aBadPercentEscapeGets400AndTheRequestPipelinedBeforeItKeepsItsAnswer() {
    try (Connection connection = RawHttp.Connection.open(echo.port())) {
      List<Response> responses =
          connection
              .send(invoke(7) + RawHttp.get("/%zz") + RawHttp.get("/health/live"))
              .read(3, WAIT);
      assertEquals(List.of(200, 400, 200), responses.stream().map(Response::status).toList());
      assertEquals("p-7", responses.get(0).header("request-id"));
      assertTrue(responses.get(1).body().contains("%zz"), responses.get(1).body());
    }
  }

  @Test
  void aServerThatAnsweredABadPercentEscapeStopsAtOnce() throws Exception {
    ModelServer server = started(ModelServerIT.config(Examples.artifact("echo")).build());
    try (Connection connection = RawHttp.Connection.open(server.port())) {
      assertEquals(400, connection.send(RawHttp.get("/%zz")).read(WAIT).status());
    } finally {
      long start = System.nanoTime();
      server.shutdown();
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
      assertTrue(seconds < 10, "shutdown took " + seconds + " s");
    }
  }

  private static Response one(String raw) {
    try (Connection connection = RawHttp.Connection.open(echo.port())) {
      return connection.send(raw).read(WAIT);
    }
  }

  @Test
  void unsupportedVersionsOverlongLinesAndHeadersAndBadHostHeaders() {
    assertEquals(505, one("GET /health/live HTTP/9.9\r\nHost: t\r\n\r\n").status());
    assertEquals(414, one(RawHttp.get("/health/live?" + "q".repeat(10_000))).status());
    assertEquals(431, one(RawHttp.get("/health/live", "X-Big: " + "h".repeat(10_000))).status());
    assertEquals(400, one("GET /health/live HTTP/1.1\r\n\r\n").status());
    assertEquals(400, one(RawHttp.get("/health/live", "Host: other")).status());
    assertEquals(200, one("GET /health/live HTTP/1.0\r\n\r\n").status());
  }

  @Test
  void aLoneSurrogateIsAClientError() {
    Response response = one(RawHttp.post("/api/model/invoke", "{\"data\":[[\"\\ud800\"]]}"));
    assertEquals(400, response.status(), response.body());
    assertTrue(response.body().startsWith("{\"message\": \"Can not parse input as JSON: "));
  }

  @Test
  void odahusOwnPackagerTestRequestReachesTheModel() throws Exception {
    ModelServer simple = started(ModelServerIT.config(Examples.artifact("simple")).build());
    try (Connection connection = RawHttp.Connection.open(simple.port())) {
      Response response =
          connection
              .send(
                  RawHttp.post(
                      "/api/model/invoke",
                      "{\"columns\": \"Destiny line\", \"data\": [[1,2,3,4]]}"))
              .read(WAIT);
      assertEquals(200, response.status(), response.body());
      assertEquals("{\"prediction\":[[42]],\"columns\":[\"result\"]}", response.body());
    } finally {
      simple.shutdown();
    }
  }

  @Test
  void controlCharactersInTheModelNameAreRefusedAtStartUp() {
    RuntimeException refused =
        assertThrows(
            RuntimeException.class,
            () ->
                ModelServerIT.start(
                    ModelServerIT.config(Examples.artifact("echo"))
                        .modelName("x\r\nInjected: 1")
                        .build()));
    assertTrue(refused.getMessage().contains("control character"), refused.getMessage());
  }

  @Test
  void nonAsciiModelNamesArePercentEncodedInHeaders() throws Exception {
    ModelServer named =
        started(
            ModelServerIT.config(Examples.artifact("echo"))
                .modelName("modèle")
                .modelVersion("v 1%")
                .build());
    try (Connection connection = RawHttp.Connection.open(named.port())) {
      Response response = connection.send(invoke(1)).read(WAIT);
      assertEquals(200, response.status());
      assertEquals("mod%C3%A8le", response.header("model-name"));
      assertEquals("v 1%", response.header("model-version"));
      Response info = connection.send(RawHttp.get("/api/model/info")).read(WAIT);
      assertTrue(
          info.body().contains("\"title\":\"mod\\u00e8le\""),
          new String(info.body().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
    } finally {
      named.shutdown();
    }
  }
}
