package org.odahu.pack.gppi;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Runs one GPPI model. Every call is asynchronous and queued; the backend's workers run one call at
 * a time each. Implementations are thread-safe.
 */
public interface ModelBackend extends AutoCloseable {

  /**
   * Starts the workers. The stage completes once every worker has imported the model and run {@code
   * init()}, or exceptionally with a {@link ModelStartupException} on the first failure (workers
   * keep being restarted with back-off), or a {@link BackendConfigurationException} when the
   * options make starting impossible (then nothing is retried). Calling it again returns the same
   * stage.
   */
  CompletionStage<Void> start();

  /**
   * Starts the workers as {@link #start} does, but the stage completes once one worker has imported
   * the model and run {@code init()}: for batch work, which any worker can begin while the others
   * are still starting (or never finish). It fails as {@link #start}'s when a start fails first.
   */
  default CompletionStage<Void> startOne() {
    return start();
  }

  /**
   * Whether calls can be served: every configured worker has been initialised once, and at least
   * one is alive now.
   */
  boolean isReady();

  /** Why the backend is not ready, when it is not and a reason is known. */
  Optional<String> notReadyReason();

  /** The model's {@code info()} schema. */
  CompletionStage<ModelSchema> info();

  /** Predicts {@code input}, answering in {@link OutputStyle#COMPACT}. */
  default CompletionStage<Prediction> predict(PredictionInput input) {
    return predict(input, OutputStyle.COMPACT);
  }

  /**
   * Predicts {@code input}. The stage fails with {@link ModelPredictionException}, {@link
   * AnswerTooLargeException}, {@link PredictionTimeoutException}, {@link WorkerCrashedException},
   * {@link QueueFullException} or {@link BackendNotReadyException}.
   */
  CompletionStage<Prediction> predict(PredictionInput input, OutputStyle style);

  /** Runs ODAHU's GPPI self-check in a worker. */
  CompletionStage<SelfCheckReport> selfCheck();

  /** A snapshot of workers and queue. */
  BackendStats stats();

  /**
   * Stops taking calls, lets queued and running calls finish (bounded by the call timeout), then
   * stops the workers.
   */
  @Override
  void close();

  /**
   * Stops at once, for a program that is ending (a shutdown hook), also while {@link #close} waits:
   * kills the workers, with the calls they run and the processes the model started, and takes no
   * more calls. The calls running or queued fail at once, as later ones do, with {@link
   * BackendNotReadyException}. {@link #close} then returns promptly.
   */
  void kill();
}
