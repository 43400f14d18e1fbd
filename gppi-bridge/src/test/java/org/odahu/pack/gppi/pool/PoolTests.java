package org.odahu.pack.gppi.pool;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.odahu.pack.gppi.BackendOptions;
import org.odahu.pack.gppi.BatchingPolicy;
import org.odahu.pack.gppi.ModelBackend;
import org.odahu.pack.gppi.Prediction;
import org.odahu.pack.gppi.testing.Inputs;

/** Helpers for the pool's unit tests. */
final class PoolTests {
  /** The call timeout of the tests' pools, on their fake clocks. */
  static final Duration TIMEOUT = Duration.ofSeconds(2);

  private PoolTests() {}

  /** One worker, no merging, a two-second timeout and a one-second back-off cap. */
  static BackendOptions.Builder options() {
    return BackendOptions.builder()
        .workers(1)
        .timeout(TIMEOUT)
        .batching(BatchingPolicy.DISABLED)
        .maxRestartDelay(Duration.ofSeconds(1));
  }

  /** A prediction of one row holding {@code command}, the stand-in models' command. */
  static CompletableFuture<Prediction> predict(ModelBackend backend, String command) {
    return backend.predict(Inputs.body("{\"data\":[[\"" + command + "\"]]}")).toCompletableFuture();
  }

  static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static Throwable failure(CompletionStage<?> stage) {
    try {
      stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("expected the call to fail");
  }

  static String answer(CompletionStage<Prediction> stage) {
    return new String(await(stage).predictionJson(), StandardCharsets.UTF_8);
  }

  static void waitUntil(BooleanSupplier condition, String failure) {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < until, failure);
      LockSupport.parkNanos(1_000_000);
    }
  }
}
