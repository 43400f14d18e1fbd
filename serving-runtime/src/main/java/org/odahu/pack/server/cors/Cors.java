package org.odahu.pack.server.cors;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.odahu.pack.server.http.ApiRequest;
import org.odahu.pack.server.http.ApiResponse;
import org.odahu.pack.server.http.ErrorMapping;
import org.odahu.pack.server.http.Route;
import org.odahu.pack.server.http.Router;
import org.odahu.pack.server.http.Service;

/**
 * CORS as a decorator of the whole route table: every service's responses get {@code
 * Access-Control-Allow-Origin} for allowed origins (and {@code Vary: Origin}), and every path gets
 * an {@code OPTIONS} route that answers preflights with 204 and the allowed methods and headers.
 * Requests refused before routing (unknown paths, wrong methods, oversized bodies) are answered
 * without CORS headers.
 */
public final class Cors {
  private static final String EXPOSED = "Request-ID, Model-Name, Model-Version, Retry-After";
  private static final String PREFLIGHT_VARY =
      "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";
  private static final String MAX_AGE_SECONDS = "600";

  private Cors() {}

  /** {@code router}, decorated with {@code policy}; the same router when CORS is off. */
  public static Router apply(Router router, CorsPolicy policy) {
    if (!policy.enabled()) {
      return router;
    }
    Router.Builder builder = Router.builder(router.fallback());
    Map<String, Route> firstByTemplate = new LinkedHashMap<>();
    Map<String, Set<String>> methods = new LinkedHashMap<>();
    for (Route route : router.routes()) {
      String template = route.template().text();
      // Probes stay probes: their successes stay out of the access log.
      if (route.probe()) {
        builder.probe(route.method(), template, route.api(), decorate(route, policy));
      } else {
        builder.route(route.method(), template, route.api(), decorate(route, policy));
      }
      firstByTemplate.putIfAbsent(template, route);
      Set<String> allowed = methods.computeIfAbsent(template, t -> new LinkedHashSet<>());
      allowed.add(route.method());
      if (route.method().equals("GET")) {
        allowed.add("HEAD");
      }
    }
    for (Map.Entry<String, Route> entry : firstByTemplate.entrySet()) {
      Set<String> allowed = methods.get(entry.getKey());
      allowed.add("OPTIONS");
      if (!allowed.equals(Set.of("OPTIONS"))) {
        builder.route(
            "OPTIONS",
            entry.getKey(),
            entry.getValue().api(),
            preflight(List.copyOf(allowed), policy));
      }
    }
    return builder.build();
  }

  private static Service decorate(Route route, CorsPolicy policy) {
    Service service = route.service();
    return request -> {
      CompletionStage<ApiResponse> stage;
      try {
        stage = service.serve(request);
      } catch (RuntimeException | Error e) {
        stage = CompletableFuture.failedFuture(e);
      }
      return stage.handle(
          (response, failure) -> {
            ApiResponse answer = response;
            if (failure != null || response == null) {
              Throwable cause =
                  failure != null
                      ? failure
                      : new IllegalStateException("the service answered nothing");
              answer =
                  route.api().errors().encode(ErrorMapping.toError(cause, request.requestId()));
            }
            return answer.withHeaders(withVary(headers(request, policy), answer));
          });
    };
  }

  /** {@code cors}, its {@code Vary} joined to the response's own (e.g. /metrics' Accept). */
  private static Map<String, String> withVary(Map<String, String> cors, ApiResponse response) {
    String own = response.headers().get("Vary");
    if (own == null || own.equals(cors.get("Vary"))) {
      return cors;
    }
    Map<String, String> merged = new LinkedHashMap<>(cors);
    merged.put("Vary", own + ", " + cors.get("Vary"));
    return merged;
  }

  private static Map<String, String> headers(ApiRequest request, CorsPolicy policy) {
    String origin = request.header("Origin");
    if (!policy.allows(origin)) {
      return Map.of("Vary", "Origin");
    }
    return Map.of(
        "Vary",
        "Origin",
        "Access-Control-Allow-Origin",
        policy.allowOrigin(origin),
        "Access-Control-Expose-Headers",
        EXPOSED);
  }

  private static Service preflight(List<String> methods, CorsPolicy policy) {
    String allowed = String.join(", ", methods);
    return request -> {
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("Vary", PREFLIGHT_VARY);
      headers.put("Allow", allowed);
      String origin = request.header("Origin");
      String method = request.header("Access-Control-Request-Method");
      if (method != null && policy.allows(origin) && methods.contains(method.strip())) {
        headers.put("Access-Control-Allow-Origin", policy.allowOrigin(origin));
        headers.put("Access-Control-Allow-Methods", allowed);
        String requested = request.header("Access-Control-Request-Headers");
        if (requested != null && !requested.isBlank()) {
          // Any request header may be sent: the server reads only those it knows.
          headers.put("Access-Control-Allow-Headers", requested.strip());
        }
        headers.put("Access-Control-Max-Age", MAX_AGE_SECONDS);
      }
      return CompletableFuture.completedFuture(
          new ApiResponse(204, new byte[0], ApiResponse.JSON, headers));
    };
  }

  /** The templates of {@code router} that answer preflights; for tests. */
  static List<String> preflightTemplates(Router router) {
    List<String> templates = new ArrayList<>();
    for (Route route : router.routes()) {
      if (route.method().equals("OPTIONS")) {
        templates.add(route.template().text());
      }
    }
    return templates;
  }
}
