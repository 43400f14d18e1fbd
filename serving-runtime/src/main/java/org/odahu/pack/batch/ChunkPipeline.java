package org.odahu.pack.batch;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.LongSupplier;
import org.odahu.pack.gppi.AnswerTooLargeException;
import org.odahu.pack.gppi.ModelBackend;
import org.odahu.pack.gppi.ModelPredictionException;
import org.odahu.pack.gppi.OutputStyle;
import org.odahu.pack.gppi.Prediction;
import org.odahu.pack.gppi.PredictionTimeoutException;
import org.odahu.pack.gppi.WorkerCrashedException;

/**
 * Feeds chunks to the model's workers and writes their answers in input order. At most {@code
 * inFlight} chunks, and {@link #MAX_BYTES_IN_FLIGHT} of their rows, are read and not yet written
 * (queued, being predicted or waiting for an earlier chunk), so memory stays bounded whatever the
 * input's size and its rows' width while every worker has work. A chunk whose worker dies is
 * predicted once more on the replacement worker (a worker killed from outside costs nothing); a
 * second death, a model exception or a timeout fails the chunk.
 */
final class ChunkPipeline {
  private static final System.Logger LOG = System.getLogger(ChunkPipeline.class.getName());

  /** The most bytes of rows in chunks not yet written: an eighth of the heap, or one chunk. */
  static final long MAX_BYTES_IN_FLIGHT =
      Math.max(ChunkBuilder.CHUNK_BYTES, Runtime.getRuntime().maxMemory() / 8);

  private final ModelBackend backend;
  private final int inFlight;
  private final ErrorPolicy onError;
  private final BatchListener listener;
  private final LongSupplier nanoTime;
  private final Deque<Call> calls = new ArrayDeque<>();
  private long started;
  private long rows;
  private boolean exhausted;
  private long chunks;
  private long bytesInFlight;
  private long rowsRead;

  private static final class Call {
    final Chunk chunk;
    CompletableFuture<Prediction> answer;
    boolean retried;

    Call(Chunk chunk, CompletableFuture<Prediction> answer) {
      this.chunk = chunk;
      this.answer = answer;
    }
  }

  ChunkPipeline(
      ModelBackend backend,
      int inFlight,
      ErrorPolicy onError,
      BatchListener listener,
      LongSupplier nanoTime) {
    this.backend = backend;
    this.inFlight = inFlight;
    this.onError = onError;
    this.listener = listener;
    this.nanoTime = nanoTime;
  }

  /**
   * Predicts every chunk of {@code source} into {@code results}, failed chunks into {@code failed}
   * when skipping.
   *
   * @param whole whether the input is not sharded (then a lone chunk's error keeps ODAHU's words)
   * @return the rows predicted
   */
  long run(RowSource source, OrderedResults results, FailedRows failed, boolean whole)
      throws IOException {
    started = nanoTime.getAsLong();
    try {
      Chunk chunk;
      while ((chunk = source.next()) != null) {
        chunks++;
        calls.add(new Call(chunk, submit(chunk)));
        bytesInFlight += chunk.data().length;
        rowsRead += chunk.rows();
        while (calls.size() >= inFlight || bytesInFlight > MAX_BYTES_IN_FLIGHT) {
          completeOldest(source, results, failed, whole);
        }
      }
      exhausted = true;
      while (!calls.isEmpty()) {
        completeOldest(source, results, failed, whole);
      }
      results.finish();
      listener.progress(progress(source, failed, true));
      return rows;
    } finally {
      calls.forEach(call -> call.answer.cancel(false));
      calls.clear();
    }
  }

  private void completeOldest(
      RowSource source, OrderedResults results, FailedRows failed, boolean whole)
      throws IOException {
    Call oldest = calls.poll();
    bytesInFlight -= oldest.chunk.data().length;
    complete(oldest, source, results, failed, whole);
  }

  private CompletableFuture<Prediction> submit(Chunk chunk) {
    return backend.predict(chunk.input(), OutputStyle.PYTHON).toCompletableFuture();
  }

  private void complete(
      Call call, RowSource source, OrderedResults results, FailedRows failed, boolean whole)
      throws IOException {
    while (true) {
      try {
        Prediction prediction = call.answer.join();
        results.add(call.chunk, prediction);
        rows += call.chunk.rows();
        break;
      } catch (CompletionException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        for (Throwable t = cause; t != null; t = t.getCause()) {
          if (t instanceof OutOfMemoryError heapFull) {
            // The answer did not fit in the heap where the worker's slot read it: no worker
            // died, and predicting it again would fill the heap again.
            throw heapFull;
          }
        }
        if (cause instanceof WorkerCrashedException && !call.retried) {
          LOG.log(
              System.Logger.Level.WARNING,
              "The model worker died predicting {0}: {1}; predicting them again",
              call.chunk.describeRows(),
              cause.getMessage());
          call.retried = true;
          call.answer = submit(call.chunk);
          continue;
        }
        ChunkFailedException failure = failure(call.chunk, cause, whole && isOnlyChunk());
        if (onError == ErrorPolicy.FAIL) {
          throw failure;
        }
        LOG.log(
            System.Logger.Level.WARNING, "{0}; its rows go to the side file", failure.getMessage());
        failed.add(call.chunk, failure.getMessage());
        results.skip();
        break;
      }
    }
    listener.progress(progress(source, failed, false));
  }

  private boolean isOnlyChunk() {
    return exhausted && chunks == 1;
  }

  private static ChunkFailedException failure(Chunk chunk, Throwable cause, boolean onlyChunk) {
    String reason =
        switch (cause) {
          case ModelPredictionException e -> "Exception during prediction: " + e.getMessage();
          case WorkerCrashedException e ->
              "Model worker died during the prediction, twice: " + e.getMessage();
          case PredictionTimeoutException e -> e.getMessage();
          case AnswerTooLargeException e -> e.getMessage() + "; lower --chunk-rows";
          case RuntimeException e -> throw e;
          default -> throw new CompletionException(cause);
        };
    String where = onlyChunk ? "" : " (" + chunk.describeRows() + ")";
    return new ChunkFailedException(reason + where, chunk.firstRow(), chunk.lastRow(), cause);
  }

  private BatchProgress progress(RowSource source, FailedRows failed, boolean finished) {
    return new BatchProgress(
        rows,
        failed.rows(),
        rowsRead,
        source.bytesRead(),
        source.bytesTotal(),
        nanoTime.getAsLong() - started,
        finished);
  }
}
