package org.odahu.pack.batch;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.odahu.pack.gppi.ModelBackend;
import org.odahu.pack.gppi.OutputStyle;
import org.odahu.pack.gppi.Prediction;

/**
 * Hands chunks to the model, at most {@code limit} calls at a time. The worker pool times a call
 * from when it is queued, so with a time limit a chunk is handed over only when a worker is free:
 * its limit then counts its own model call, not the wait behind other chunks. Without a limit every
 * chunk goes to the pool at once, keeping each worker's next chunk queued.
 */
final class ChunkCalls {
  /** No limit: every chunk is handed to the pool when read. */
  static final int UNLIMITED = Integer.MAX_VALUE;

  private final ModelBackend backend;
  private final int limit;
  private final Deque<Runnable> waiting = new ArrayDeque<>();
  private int running;

  ChunkCalls(ModelBackend backend, int limit) {
    this.backend = backend;
    this.limit = limit;
  }

  /** Predicts {@code chunk} now, or once one of the calls running ends. */
  CompletableFuture<Prediction> predict(Chunk chunk) {
    if (limit == UNLIMITED) {
      return call(chunk).toCompletableFuture();
    }
    CompletableFuture<Prediction> answer = new CompletableFuture<>();
    Runnable start = () -> start(chunk, answer);
    boolean now;
    synchronized (this) {
      now = running < limit;
      if (now) {
        running++;
      } else {
        waiting.add(start);
      }
    }
    if (now) {
      start.run();
    }
    return answer;
  }

  private void start(Chunk chunk, CompletableFuture<Prediction> answer) {
    if (answer.isDone()) { // cancelled while it waited
      release();
      return;
    }
    CompletionStage<Prediction> call;
    try {
      call = call(chunk);
    } catch (RuntimeException e) {
      release();
      answer.completeExceptionally(e);
      return;
    }
    call.whenComplete(
        (prediction, failure) -> {
          release();
          if (failure == null) {
            answer.complete(prediction);
          } else {
            answer.completeExceptionally(
                failure instanceof CompletionException e && e.getCause() != null
                    ? e.getCause()
                    : failure);
          }
        });
  }

  private CompletionStage<Prediction> call(Chunk chunk) {
    return backend.predict(chunk.input(), OutputStyle.PYTHON);
  }

  /** A call ended: the next waiting chunk takes its place. */
  private void release() {
    Runnable next;
    synchronized (this) {
      next = waiting.poll();
      if (next == null) {
        running--;
      }
    }
    if (next != null) {
      next.run();
    }
  }
}
