package org.odahu.pack.gppi;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.odahu.pack.artifact.ModelArtifact;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.gppi.testing.Inputs;

/** Starting a backend on an example model and calling it, for the integration tests. */
final class BackendTests {
  private static final ObjectMapper JSON = new ObjectMapper();

  private BackendTests() {}

  static BackendOptions.Builder options() {
    return BackendOptions.builder().python(Examples.python()).timeout(Duration.ofSeconds(30));
  }

  /** Merging on, explicitly: tests of merged calls must not depend on the default. */
  static BatchingPolicy merging() {
    return new BatchingPolicy(true, 1024, Duration.ZERO);
  }

  /** Runs {@code test} against a started backend for {@code artifact}. */
  static void with(Path artifact, BackendOptions options, Consumer<ModelBackend> test)
      throws Exception {
    try (ModelArtifact opened = ModelArtifact.open(artifact);
        ModelBackend backend = ModelBackends.create(opened, options)) {
      backend.start().toCompletableFuture().get(60, TimeUnit.SECONDS);
      test.accept(backend);
    }
  }

  static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static Throwable failure(CompletionStage<?> stage) {
    try {
      stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("expected the call to fail");
  }

  static CompletionStage<Prediction> send(ModelBackend backend, String request) {
    return backend.predict(Inputs.body(request));
  }

  static JsonNode answer(ModelBackend backend, String request) {
    try {
      return JSON.readTree(Inputs.answer(await(send(backend, request))));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** The prediction JSON for the {@code unruly} model's {@code command}. */
  static String prediction(ModelBackend backend, String command) {
    return utf8(await(send(backend, "{\"data\":[[\"" + command + "\",0]]}")).predictionJson());
  }

  static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** Keeps the only worker busy for a while, so that the next requests queue up. */
  static CompletionStage<Prediction> occupyTheWorker(ModelBackend backend, double seconds) {
    CompletionStage<Prediction> busy = send(backend, "{\"data\":[[\"sleep\"," + seconds + "]]}");
    waitUntil(() -> backend.stats().busyWorkers() == 1);
    return busy;
  }

  static void waitUntil(BooleanSupplier condition) {
    waitUntil(condition, Duration.ofSeconds(10), "condition not reached");
  }

  static void awaitReady(ModelBackend backend) {
    waitUntil(backend::isReady, Duration.ofSeconds(30), "backend did not become ready again");
  }

  static void waitUntil(BooleanSupplier condition, Duration timeout, String failure) {
    long until = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < until, failure);
      Thread.onSpinWait();
    }
  }

  /** The live worker processes this JVM started, by process id. */
  static List<ProcessHandle> workerProcesses() {
    return ProcessHandle.current()
        .children()
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().commandLine().orElse("").contains("gppi_worker"))
        .toList();
  }
}
