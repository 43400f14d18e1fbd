package org.odahu.pack.server.testing;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.odahu.pack.gppi.BackendStats;
import org.odahu.pack.gppi.ModelBackend;
import org.odahu.pack.gppi.ModelSchema;
import org.odahu.pack.gppi.OutputStyle;
import org.odahu.pack.gppi.Prediction;
import org.odahu.pack.gppi.PredictionInput;
import org.odahu.pack.gppi.SchemaField;
import org.odahu.pack.gppi.SelfCheckReport;

/**
 * A model backend without Python, for tests and benchmarks of the code around it: it echoes the
 * request's matrix (or answers what {@link #answer} says) at once, on the caller's thread.
 */
public final class InMemoryBackend implements ModelBackend {
  private volatile boolean ready = true;
  private volatile String notReadyReason;
  private volatile Function<PredictionInput, CompletionStage<Prediction>> answer =
      InMemoryBackend::echo;
  private volatile ModelSchema schema =
      new ModelSchema(
          List.of(new SchemaField("a", "string", TextNode.valueOf("1"), true)),
          List.of(new SchemaField("echo", "number", JsonNodeFactory.instance.numberNode(1), true)));

  /** Makes the backend (not) ready, with a reason. */
  public InMemoryBackend ready(boolean isReady, String reason) {
    this.ready = isReady;
    this.notReadyReason = reason;
    return this;
  }

  /** Replaces the echo with another behaviour, e.g. a failure or a future completed later. */
  public InMemoryBackend answer(Function<PredictionInput, CompletionStage<Prediction>> behaviour) {
    this.answer = behaviour;
    return this;
  }

  /** Replaces the schema {@code info()} answers. */
  public InMemoryBackend schema(ModelSchema modelSchema) {
    this.schema = modelSchema;
    return this;
  }

  /** The matrix of {@code input}, as an echo model answers it. */
  public static CompletionStage<Prediction> echo(PredictionInput input) {
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    input.data().writeTo(data);
    return CompletableFuture.completedFuture(
        new Prediction(
            data.toByteArray(),
            "[\"echo\"]".getBytes(StandardCharsets.UTF_8),
            new Prediction.Timings(1_000, 2_000, 1, input.rowCount())));
  }

  @Override
  public CompletionStage<Void> start() {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public boolean isReady() {
    return ready;
  }

  @Override
  public Optional<String> notReadyReason() {
    return ready ? Optional.empty() : Optional.ofNullable(notReadyReason);
  }

  @Override
  public CompletionStage<ModelSchema> info() {
    return CompletableFuture.completedFuture(schema);
  }

  @Override
  public CompletionStage<Prediction> predict(PredictionInput input, OutputStyle style) {
    return answer.apply(input);
  }

  @Override
  public CompletionStage<SelfCheckReport> selfCheck() {
    return CompletableFuture.completedFuture(new SelfCheckReport(1, 1, -1, List.of()));
  }

  @Override
  public BackendStats stats() {
    return new BackendStats(1, ready ? 1 : 0, 0, 0, 0, true);
  }

  @Override
  public void close() {}

  @Override
  public void kill() {}
}
