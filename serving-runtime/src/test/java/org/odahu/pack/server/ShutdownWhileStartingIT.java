package org.odahu.pack.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;
import org.odahu.pack.artifact.testing.Examples;

/**
 * A server stopped while its model's {@code init()} still runs (SIGTERM during a slow start) ends a
 * start that was cut short on purpose: no ERROR says the model is not ready.
 */
class ShutdownWhileStartingIT {
  @Test
  void aStartCutShortByShutdownIsNoError() throws Exception {
    Logger logger = Logger.getLogger(ModelServer.class.getName());
    List<LogRecord> logged = new CopyOnWriteArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            logged.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    logger.addHandler(capture);
    try {
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
      SimpleFormatter format = new SimpleFormatter();
      List<String> errors =
          logged.stream()
              .filter(record -> record.getLevel().intValue() >= Level.SEVERE.intValue())
              .map(format::formatMessage)
              .toList();
      assertEquals(List.of(), errors);
      assertTrue(
          logged.stream().anyMatch(r -> format.formatMessage(r).equals("Stopped")),
          logged.toString());
    } finally {
      logger.removeHandler(capture);
    }
  }
}
