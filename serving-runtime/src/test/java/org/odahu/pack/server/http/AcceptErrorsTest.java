package org.odahu.pack.server.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AcceptErrorsTest {
  @Test
  void acceptErrorsPauseAcceptingForASecond() {
    EmbeddedChannel listener = new EmbeddedChannel(new AcceptErrors());
    listener.freezeTime();
    listener
        .pipeline()
        .fireExceptionCaught(new IOException("accept(..) failed: Too many open files"));
    assertFalse(listener.config().isAutoRead());
    listener.advanceTimeBy(1, TimeUnit.SECONDS);
    listener.runScheduledPendingTasks();
    assertTrue(listener.config().isAutoRead());
    assertFalse(listener.finishAndReleaseAll());
  }
}
