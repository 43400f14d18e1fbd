package org.odahu.pack.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.gppi.testing.CapturedLog;

/**
 * A server stopped while its model's {@code init()} still runs (SIGTERM during a slow start) ends a
 * start that was cut short on purpose: no ERROR says the model is not ready.
 */
class ShutdownWhileStartingIT {
  @Test
  void aStartCutShortByShutdownIsNoError() throws Exception {
    try (CapturedLog log = CapturedLog.of(ModelServer.class.getName())) {
      // init() sleeps a minute.
      ModelServer server =
          ModelServerIT.start(ModelServerIT.config(Examples.testModel("slowinit")).build());
      CompletableFuture<?> started = server.backend().start().toCompletableFuture();
      CompletableFuture<Void> settled = started.handle((ready, failure) -> null);
      Thread.sleep(500);
      server.shutdown();
      settled.get(30, TimeUnit.SECONDS);
      assertTrue(started.isCompletedExceptionally(), "the start was not cut short");
      Thread.sleep(200); // the server's own callback, if it ran on another thread
      assertEquals(List.of(), log.messagesAtLeast(Level.SEVERE));
      assertTrue(log.messages().contains("Stopped"), log.messages().toString());
    }
  }
}
