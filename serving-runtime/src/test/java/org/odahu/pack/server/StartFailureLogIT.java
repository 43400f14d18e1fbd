package org.odahu.pack.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.gppi.testing.CapturedLog;

/**
 * A model whose {@code init()} raises: the server's log has its Python traceback without {@code
 * --verbose}, since {@code /health/ready} sends whoever looks there.
 */
class StartFailureLogIT {
  @Test
  void theModelsTracebackIsLoggedWithItsStartFailure() throws Exception {
    try (CapturedLog log = CapturedLog.of(ModelServer.class.getName())) {
      ModelServer server =
          ModelServerIT.start(ModelServerIT.config(Examples.testModel("badinit")).build());
      try {
        String failure =
            log.await(
                m -> m.startsWith("Model badinit ") && m.contains(" is not ready: "),
                Duration.ofSeconds(60));
        assertTrue(failure.contains("\nTraceback (most recent call last):"), failure);
        assertTrue(failure.contains("in init"), failure);
        assertTrue(log.messagesAtLeast(Level.SEVERE).contains(failure), failure);
      } finally {
        server.shutdown();
      }
    }
  }
}
