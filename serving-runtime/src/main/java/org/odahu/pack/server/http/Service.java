package org.odahu.pack.server.http;

import java.util.concurrent.CompletionStage;

/**
 * What answers one route: a function from a request to a future response. A failed stage is mapped
 * by {@link ErrorMapping} and written by the route's {@link ErrorEncoder}. Services run on the
 * connection's I/O thread: they must not block (model calls return at once with a stage).
 */
@FunctionalInterface
public interface Service {
  /** Answers {@code request}. */
  CompletionStage<ApiResponse> serve(ApiRequest request);
}
