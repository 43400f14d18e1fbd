package org.odahu.pack.server.http;

import java.time.Duration;
import java.util.Objects;

/**
 * What every connection of one server shares: the routes and the collaborators of its responses,
 * all immutable or thread-safe, none optional.
 *
 * @param router the routes
 * @param model the model responses of model APIs name
 * @param metrics request metrics
 * @param requestLog one line per request ({@link RequestLog#none()} for none)
 * @param state requests in flight and shutdown
 * @param bodyBudget the bound on request bodies held at once
 * @param maxBodyBytes the largest request body; larger ones get 413
 * @param requestReadTimeout the most a client may take to send one whole request
 */
public record HttpEdge(
    Router router,
    ModelIdentity model,
    ServerMetrics metrics,
    RequestLog requestLog,
    ServerState state,
    BodyBudget bodyBudget,
    int maxBodyBytes,
    Duration requestReadTimeout) {
  public HttpEdge {
    Objects.requireNonNull(router, "router");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(requestLog, "requestLog");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(bodyBudget, "bodyBudget");
    Objects.requireNonNull(requestReadTimeout, "requestReadTimeout");
  }
}
