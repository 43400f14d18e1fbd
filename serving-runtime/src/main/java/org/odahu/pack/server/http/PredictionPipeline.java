package org.odahu.pack.server.http;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.odahu.pack.gppi.ModelBackend;
import org.odahu.pack.gppi.Prediction;
import org.odahu.pack.gppi.PredictionInput;

/**
 * The path of one prediction for every API, without the network: decode with the API's codec, call
 * the model backend (which queues, merges, times out, and reports its timings to the metrics), map
 * failures to errors in the API's format, capture the request and response. The returned stage
 * always completes with a response, and completes on the backend's threads (so its log lines are
 * never written on an I/O thread).
 */
public final class PredictionPipeline {
  private final ModelBackend backend;
  private final PredictionCapture capture;

  public PredictionPipeline(ModelBackend backend, PredictionCapture capture) {
    this.backend = backend;
    this.capture = capture;
  }

  /** The service answering a route of the API {@code codec} speaks. */
  public Service service(PredictionCodec codec) {
    return request -> predict(request, codec);
  }

  /** Answers {@code request} with {@code codec}; never completes exceptionally. */
  public CompletionStage<ApiResponse> predict(ApiRequest request, PredictionCodec codec) {
    CompletionStage<Prediction> prediction;
    try {
      PredictionInput input;
      try {
        input = codec.decode(request);
      } finally {
        request.memory().release();
      }
      request.memory().hold(input.heldBytes());
      CompletionStage<Prediction> called;
      try {
        called = backend.predict(input, codec.style());
      } catch (RuntimeException | Error e) {
        request.memory().releaseHeld(); // a backend may refuse at once, not in its stage
        throw e;
      }
      // A client that went away does not keep its call in the queue: cancelled, it is skipped by
      // the workers (and one already in the model's hands is answered to nobody).
      CompletionStage<Prediction> call = called;
      request.hangUp().whenHungUp(() -> call.toCompletableFuture().cancel(false));
      prediction = called.whenComplete((answer, failure) -> request.memory().releaseHeld());
    } catch (RuntimeException | Error e) {
      prediction = CompletableFuture.failedFuture(e);
    }
    return prediction
        .thenApply(answer -> codec.encode(answer, request))
        .exceptionally(
            failure ->
                codec.encode(
                    ErrorMapping.toError(
                        failure, capture.model().logContext(request.requestId(), request.trace()))))
        .thenApply(
            response -> {
              capture.record(request, response, codec.api());
              return response;
            });
  }
}
