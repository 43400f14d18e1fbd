package org.odahu.pack.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.odahu.pack.gppi.Prediction;
import org.odahu.pack.gppi.PredictionInput;
import org.odahu.pack.gppi.PredictionTimeoutException;
import org.odahu.pack.server.testing.InMemoryBackend;

/** Chunks handed to the model at most {@code limit} at a time (for per-call time limits). */
class ChunkCallsTest {
  private final List<CompletableFuture<Prediction>> calls = new ArrayList<>();
  private final InMemoryBackend backend =
      new InMemoryBackend()
          .answer(
              input -> {
                CompletableFuture<Prediction> call = new CompletableFuture<>();
                calls.add(call);
                return call;
              });

  private static Chunk chunk(long sequence) {
    byte[] data = ("[[" + sequence + "]]").getBytes(StandardCharsets.UTF_8);
    return new Chunk(
        sequence,
        sequence + 1,
        PredictionInput.fromJson("[\"x\"]", new String(data, StandardCharsets.UTF_8)),
        data,
        new int[] {1, data.length - 1});
  }

  private static Prediction answer() {
    return InMemoryBackend.echo(PredictionInput.fromJson("[\"x\"]", "[[1]]"))
        .toCompletableFuture()
        .join();
  }

  @Test
  void aWaitingChunkStartsWhenACallEndsHoweverItEnds() {
    ChunkCalls limited = new ChunkCalls(backend, 2);
    List<CompletableFuture<Prediction>> answers = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      answers.add(limited.predict(chunk(i)));
    }
    assertEquals(2, calls.size(), "two calls at once");
    calls.get(1).complete(answer());
    assertTrue(answers.get(1).isDone());
    assertEquals(3, calls.size(), "the third starts when the second ends");
    calls.get(0).completeExceptionally(new PredictionTimeoutException("Prediction timed out"));
    assertTrue(answers.get(0).isCompletedExceptionally());
    assertEquals(4, calls.size(), "a failed call frees its place too");
    answers.get(4).cancel(false);
    calls.get(2).complete(answer());
    calls.get(3).complete(answer());
    assertEquals(4, calls.size(), "a chunk cancelled while it waited is never sent");
    assertTrue(answers.get(3).isDone());
  }

  @Test
  void withoutALimitEveryChunkIsSentAtOnce() {
    ChunkCalls unlimited = new ChunkCalls(backend, ChunkCalls.UNLIMITED);
    for (int i = 0; i < 5; i++) {
      var unused = unlimited.predict(chunk(i));
    }
    assertEquals(5, calls.size());
  }
}
