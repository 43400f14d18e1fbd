package org.odahu.pack.server.cors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.odahu.pack.server.RouteOptions;
import org.odahu.pack.server.http.ApiResponse;
import org.odahu.pack.server.http.Route;
import org.odahu.pack.server.http.Router;
import org.odahu.pack.server.odahu.OdahuCodec;
import org.odahu.pack.server.testing.EmbeddedServer;
import org.odahu.pack.server.testing.InMemoryBackend;
import org.odahu.pack.server.testing.RawHttp;
import org.odahu.pack.server.testing.RawHttp.Response;

/** CORS: off unless asked for; preflights and actual responses for allowed origins only. */
class CorsTest {
  static final String APP = "https://app.example.com";

  static Response one(List<String> origins, String raw) {
    EmbeddedServer server =
        EmbeddedServer.builder(new InMemoryBackend())
            .routeOptions(new RouteOptions(true, new CorsPolicy(origins), "test"))
            .build();
    EmbeddedChannel channel = server.channel();
    List<Response> responses = RawHttp.exchange(channel, raw);
    assertFalse(channel.finishAndReleaseAll());
    assertEquals(1, responses.size());
    return responses.get(0);
  }

  static String preflight(String path, String origin, String method, String headers) {
    return "OPTIONS "
        + path
        + " HTTP/1.1\r\nHost: test\r\nOrigin: "
        + origin
        + "\r\nAccess-Control-Request-Method: "
        + method
        + "\r\n"
        + (headers == null ? "" : "Access-Control-Request-Headers: " + headers + "\r\n")
        + "\r\n";
  }

  @Test
  void offByDefault() {
    Response preflight = one(List.of(), preflight("/api/model/invoke", APP, "POST", null));
    assertEquals(405, preflight.status());
    Response actual =
        one(List.of(), RawHttp.post("/api/model/invoke", "{\"data\":[[1]]}", "Origin: " + APP));
    assertEquals(200, actual.status());
    assertNull(actual.header("access-control-allow-origin"));
    assertNull(actual.header("vary"));
  }

  @Test
  void aPreflightOfAnAllowedOriginIs204WithTheAllowHeaders() {
    Response response =
        one(
            List.of(APP),
            preflight("/v2/models/test-model/infer", APP, "POST", "content-type, request-id"));
    assertEquals(204, response.status());
    assertEquals(APP, response.header("access-control-allow-origin"));
    assertEquals("POST, OPTIONS", response.header("access-control-allow-methods"));
    assertEquals("content-type, request-id", response.header("access-control-allow-headers"));
    assertEquals("600", response.header("access-control-max-age"));
    assertTrue(response.header("vary").contains("Origin"));
    assertNull(response.header("content-length"), "a 204 has no length");
    assertEquals("", response.body());
  }

  @Test
  void aPreflightOfAnotherOriginOrMethodGetsNoPermission() {
    Response other =
        one(List.of(APP), preflight("/api/model/invoke", "https://evil.example", "POST", null));
    assertEquals(204, other.status());
    assertNull(other.header("access-control-allow-origin"));
    Response method = one(List.of(APP), preflight("/api/model/invoke", APP, "DELETE", null));
    assertNull(method.header("access-control-allow-origin"));
    assertEquals("POST, OPTIONS", method.header("allow"));
  }

  @Test
  void metricsKeepTheirVaryAndProbesStayProbes() {
    Response metrics = one(List.of(APP), RawHttp.get("/metrics", "Origin: " + APP));
    assertEquals("Accept, Origin", metrics.header("vary"));
    Route.Api api = new Route.Api("test", new OdahuCodec(), false);
    Router router =
        Router.builder(api)
            .probe(
                "GET",
                "/health/live",
                api,
                request -> CompletableFuture.completedFuture(ApiResponse.json(200, new byte[0])))
            .build();
    Router decorated = Cors.apply(router, new CorsPolicy(List.of(APP)));
    assertTrue(
        decorated.routes().stream().anyMatch(r -> r.method().equals("GET") && r.probe()),
        "the liveness probe lost its probe flag");
  }

  @Test
  void actualResponsesCarryTheOriginForAllowedOriginsOnly() {
    Response allowed =
        one(List.of(APP), RawHttp.post("/api/model/invoke", "{\"data\":[[1]]}", "Origin: " + APP));
    assertEquals(APP, allowed.header("access-control-allow-origin"));
    assertEquals("Origin", allowed.header("vary"));
    assertTrue(allowed.header("access-control-expose-headers").contains("Request-ID"));
    Response refusedInput =
        one(List.of(APP), RawHttp.post("/api/model/invoke", "{}", "Origin: " + APP));
    assertEquals(400, refusedInput.status());
    assertEquals(APP, refusedInput.header("access-control-allow-origin"), "errors too");
    Response other =
        one(List.of(APP), RawHttp.get("/v2/health/live", "Origin: https://evil.example"));
    assertEquals(200, other.status());
    assertNull(other.header("access-control-allow-origin"));
    assertEquals("Origin", other.header("vary"));
  }

  @Test
  void anyOriginWithAStar() {
    Response response =
        one(List.of("*"), RawHttp.get("/v2/health/live", "Origin: http://localhost:3000"));
    assertEquals("*", response.header("access-control-allow-origin"));
    Response preflight = one(List.of("*"), preflight("/docs/*", "http://x", "GET", null));
    assertEquals("*", preflight.header("access-control-allow-origin"));
    assertEquals("GET, HEAD, OPTIONS", preflight.header("access-control-allow-methods"));
  }

  @Test
  void originsMustBeOrigins() {
    assertEquals(
        "\"https://app.example.com/\" is not an origin: write scheme://host[:port] (no path, no"
            + " trailing slash), or *",
        assertThrows(
                IllegalArgumentException.class,
                () -> new CorsPolicy(List.of("https://app.example.com/")))
            .getMessage());
    assertTrue(new CorsPolicy(List.of("http://localhost:8080")).allows("http://LOCALHOST:8080"));
  }
}
