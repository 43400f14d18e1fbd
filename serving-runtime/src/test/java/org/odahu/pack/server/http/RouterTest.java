package org.odahu.pack.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RouterTest {
  private static final Route.Api API = new Route.Api("test", error -> null, false);
  private static final Service INFER = request -> CompletableFuture.completedFuture(null);
  private static final Service READY = request -> CompletableFuture.completedFuture(null);
  private static final Service FEEDBACK = request -> CompletableFuture.completedFuture(null);
  private static final Service HEALTH = request -> CompletableFuture.completedFuture(null);

  private final Router router =
      Router.builder(API)
          .route("POST", "/v2/models/{name}/versions/{version}/infer", API, INFER)
          .route("POST", "/v2/models/{name}/infer", API, INFER)
          .route("GET", "/v2/models/{name}/ready", API, READY)
          .route("POST", "/api/v1/feedback/*", API, FEEDBACK)
          .route("GET", "/healthcheck", API, HEALTH)
          .route("DELETE", "/healthcheck", API, HEALTH)
          .build();

  private Router.Found found(String method, String uri) {
    return assertInstanceOf(Router.Found.class, router.match(method, uri));
  }

  @Test
  void templatesBindTheirParametersDecoded() {
    Router.Found match = found("POST", "/v2/models/my%20model/versions/1.%2F2/infer?x=1");
    assertSame(INFER, match.route().service());
    assertEquals(Map.of("name", "my model", "version", "1./2"), match.parameters());
    assertEquals("/v2/models/{name}/versions/{version}/infer", match.route().template().text());
    assertEquals(Map.of("name", "wine"), found("POST", "/v2/models/wine/infer").parameters());
    assertEquals(
        Map.of("name", "modèle"), found("GET", "/v2/models/mod%C3%A8le/ready").parameters());
  }

  @Test
  void anUnmatchedPathIsAnsweredInTheFormatOfTheRoutesUnderItsFirstSegment() {
    ErrorEncoder v2 = error -> null;
    ErrorEncoder other = error -> null;
    Router mixed =
        Router.builder(API)
            .route("GET", "/v2", new Route.Api("v2", v2, false), READY)
            .route("POST", "/v2/models/{name}/infer", new Route.Api("v2", v2, true), INFER)
            .route("GET", "/healthcheck", new Route.Api("other", other, false), HEALTH)
            .build();
    assertSame(v2, mixed.errorsFor("/v2/models"));
    assertSame(v2, mixed.errorsFor("/v2/models/wine/infer/?x=1"));
    assertSame(other, mixed.errorsFor("/healthcheck/x"));
    assertSame(API.errors(), mixed.errorsFor("/v2x"));
    assertSame(API.errors(), mixed.errorsFor("/"));
    assertSame(API.errors(), mixed.errorsFor("*"));
    assertSame(v2, mixed.errorsFor("/v2/%ZZ"));
    assertSame(v2, mixed.errorsFor("//v2/models/x%ff/infer"));
    assertSame(API.errors(), mixed.errorsFor("/v%ZZ/models"));
    assertSame(API.errors(), mixed.errorsFor(null));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"/api/v1/feedback", "/api/v1/feedback/", "/api/v1/feedback/model/x/api/model"})
  void aStarMatchesAnySuffix(String path) {
    assertSame(FEEDBACK, found("POST", path).route().service());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/nope",
        "/healthcheck/",
        "/api/v1/feedbacks",
        "/v2/models//infer",
        "/v2/models/a/b/infer",
        "*",
        ""
      })
  void otherPathsAreNotFound(String uri) {
    assertInstanceOf(Router.NotFound.class, router.match("GET", uri));
  }

  @Test
  void otherMethodsOnAKnownPathAreNotAllowedWithTheAllowedOnes() {
    Router.MethodNotAllowed wrong =
        assertInstanceOf(Router.MethodNotAllowed.class, router.match("PUT", "/healthcheck"));
    assertEquals(Set.of("GET", "HEAD", "DELETE"), wrong.allowed());
    assertEquals("GET, HEAD, DELETE", String.join(", ", wrong.allowed()));
    assertEquals("/healthcheck", wrong.route().template().text());
    assertSame(HEALTH, found("HEAD", "/healthcheck").route().service());
  }

  /** As Werkzeug merges them: odahuflowctl's --url http://host/ asks for //api/model/invoke. */
  @Test
  void repeatedSlashesCountAsOne() {
    assertSame(HEALTH, found("GET", "//healthcheck").route().service());
    assertEquals(Map.of("name", "wine"), found("POST", "/v2//models/wine//infer").parameters());
    // A trailing slash is still another path.
    assertInstanceOf(Router.NotFound.class, router.match("GET", "//healthcheck//"));
  }

  @Test
  void absoluteFormTargetsAreRoutedByTheirPath() {
    assertSame(HEALTH, found("GET", "http://example.com/healthcheck?a=b").route().service());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/%zz", "/v2/models/%e/infer", "/a%", "/%ff%fe"})
  void badPercentEscapesAreMalformed(String uri) {
    assertThrows(RequestPath.MalformedPathException.class, () -> router.match("GET", uri));
  }

  @ParameterizedTest
  @ValueSource(strings = {"relative", "/a/*/b", "/a/{}", "/a/{x}/{x}", "/a//b", "/a/b{c}", "/"})
  void badTemplatesAreRefused(String template) {
    assertThrows(IllegalArgumentException.class, () -> RouteTemplate.parse(template));
  }
}
