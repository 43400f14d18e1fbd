package org.odahu.pack.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.odahu.pack.gppi.Prediction;
import org.odahu.pack.gppi.PredictionInput;
import org.odahu.pack.server.testing.EmbeddedServer;
import org.odahu.pack.server.testing.InMemoryBackend;
import org.odahu.pack.server.testing.RawHttp;

/** A connection stops reading while too many of its responses are pending or it is unwritable. */
class BackpressureTest {
  private final List<CompletableFuture<Prediction>> running = new ArrayList<>();
  private final InMemoryBackend backend =
      new InMemoryBackend()
          .answer(
              input -> {
                CompletableFuture<Prediction> later = new CompletableFuture<>();
                running.add(later);
                return later;
              });
  private final EmbeddedServer server = EmbeddedServer.around(backend);
  private final EmbeddedChannel channel = server.channel();

  @AfterEach
  void everyRequestAnsweredAndNoLeaks() {
    answer(running.size());
    assertFalse(channel.finishAndReleaseAll());
    assertEquals(0, server.state().inFlight());
  }

  private void pipeline(int requests) {
    StringBuilder raw = new StringBuilder();
    for (int i = 0; i < requests; i++) {
      raw.append(RawHttp.post("/api/model/invoke", "{\"data\":[[" + i + "]]}"));
    }
    assertEquals(List.of(), RawHttp.exchange(channel, raw.toString()));
  }

  /**
   * Completes the oldest {@code count} running predictions and reads their responses, one at a time
   * (EmbeddedChannel runs pending tasks inside writes, which real event loops never do).
   */
  private void answer(int count) {
    for (int i = 0; i < count; i++) {
      InMemoryBackend.echo(PredictionInput.fromJson(null, "[[1]]"))
          .thenAccept(running.remove(0)::complete);
      channel.runPendingTasks();
      assertEquals(1, RawHttp.read(channel).size());
    }
  }

  @Test
  void readingStopsAtTheLimitOfPendingResponsesAndResumesWhenOneIsWritten() {
    pipeline(ResponseSequencer.MAX_PENDING - 1);
    assertTrue(channel.config().isAutoRead());
    pipeline(1);
    assertFalse(channel.config().isAutoRead());
    answer(1);
    assertTrue(channel.config().isAutoRead());
  }

  @Test
  void readingStopsWhileTheConnectionIsNotWritable() {
    pipeline(1);
    channel.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
    channel.runPendingTasks();
    assertFalse(channel.config().isAutoRead());
    channel.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
    channel.runPendingTasks();
    assertTrue(channel.config().isAutoRead());
  }
}
