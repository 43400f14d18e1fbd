package org.odahu.pack.server.mlflow;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.odahu.pack.server.http.ApiError;
import org.odahu.pack.server.http.ApiResponse;
import org.odahu.pack.server.http.ErrorEncoder;
import org.odahu.pack.server.http.Health;
import org.odahu.pack.server.http.PredictionPipeline;
import org.odahu.pack.server.http.Service;

/**
 * MLflow's scoring protocol ({@code mlflow models serve}): {@code POST /invocations} through the
 * shared {@link PredictionPipeline}, {@code GET /ping} and {@code /health}, {@code GET /version}.
 * Errors are MLflow's {@code {"error_code": "...", "message": "..."}}, the code following the
 * status as MLflow maps them.
 */
public final class MlflowScoring {
  /** The name capture records of its requests are tagged with. */
  public static final String API = "mlflow";

  private static final byte[] HEALTHY = "\n".getBytes(StandardCharsets.US_ASCII);

  private final Health health;
  private final PredictionPipeline pipeline;
  private final String serverVersion;
  private final MlflowCodec codec = new MlflowCodec();

  /**
   * @param serverVersion the version {@code GET /version} reports
   */
  public MlflowScoring(Health health, PredictionPipeline pipeline, String serverVersion) {
    this.health = health;
    this.pipeline = pipeline;
    this.serverVersion = serverVersion;
  }

  /** How MLflow writes errors. */
  public ErrorEncoder errors() {
    return codec;
  }

  /** {@code POST /invocations}. */
  public Service invocations() {
    return pipeline.service(codec);
  }

  /** {@code GET /ping} and {@code GET /health}: 200 with a newline while the model can predict. */
  public Service ping() {
    return request ->
        CompletableFuture.completedFuture(
            health.isReady()
                ? ApiResponse.json(200, HEALTHY.clone())
                : codec.encode(
                    new ApiError(503, health.notReadyReason(), Map.of("Retry-After", "5"))));
  }

  /** {@code GET /version}: this server's version (MLflow's server answers its MLflow version). */
  public Service version() {
    byte[] body = serverVersion.getBytes(StandardCharsets.UTF_8);
    return request ->
        CompletableFuture.completedFuture(
            new ApiResponse(200, body.clone(), "text/plain; charset=utf-8", Map.of()));
  }
}
