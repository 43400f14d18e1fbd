package org.odahu.pack.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.odahu.pack.gppi.BackendStats;
import org.odahu.pack.gppi.ModelBackend;

/**
 * The health routes: ODAHU's probe ({@code {"status":true}} as Flask's {@code jsonify} writes it),
 * liveness, and readiness with the workers' counts and, when not ready, why. Ready means the
 * backend can serve ({@link ModelBackend#isReady()}) and the server is not shutting down.
 */
public final class Health {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ModelBackend backend;
  private final ServerState state;

  public Health(ModelBackend backend, ServerState state) {
    this.backend = backend;
    this.state = state;
  }

  /** Whether predictions can be served: the backend is ready and the server is not stopping. */
  public boolean isReady() {
    return backend.isReady() && !state.isDraining();
  }

  /** Why the server is not ready, for the messages of the readiness routes. */
  public String notReadyReason() {
    return state.isDraining()
        ? "The server is shutting down"
        : backend.notReadyReason().orElse("The model is starting");
  }

  /** ODAHU's {@code GET /healthcheck}. */
  public CompletionStage<ApiResponse> healthcheck(ApiRequest request) {
    boolean ready = isReady();
    ObjectNode body = JSON.createObjectNode().put("status", ready);
    return answer(ready ? 200 : 503, body, "\n");
  }

  /** {@code GET /health/live}: the process answers. */
  public CompletionStage<ApiResponse> live(ApiRequest request) {
    return answer(200, JSON.createObjectNode().put("status", "alive"), "");
  }

  /** {@code GET /health/ready}. */
  public CompletionStage<ApiResponse> ready(ApiRequest request) {
    boolean ready = isReady();
    BackendStats stats = backend.stats();
    ObjectNode body = JSON.createObjectNode().put("ready", ready);
    body.putObject("workers")
        .put("alive", stats.aliveWorkers())
        .put("configured", stats.configuredWorkers());
    if (!ready) {
      body.put("message", notReadyReason());
    }
    return answer(ready ? 200 : 503, body, "");
  }

  private static CompletionStage<ApiResponse> answer(int status, ObjectNode body, String suffix) {
    try {
      return CompletableFuture.completedFuture(
          ApiResponse.json(
              status,
              (JSON.writeValueAsString(body) + suffix)
                  .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
