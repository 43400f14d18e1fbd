package org.odahu.pack.server.capture.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void waitsDoubleUpToTheCapEachBetweenHalfAndAllOfItsStepAndEndAfterTheLastAttempt() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), 7);
    long[] steps = {100, 200, 400, 800, 1000, 1000};
    Random random = new Random(42);
    for (int round = 0; round < 200; round++) {
      for (int failed = 1; failed <= 6; failed++) {
        long millis = backoff.after(failed, random).orElseThrow().toMillis();
        long step = steps[failed - 1];
        assertTrue(millis >= step / 2 && millis <= step, failed + ": " + millis);
      }
      assertTrue(backoff.after(7, random).isEmpty());
    }
    assertEquals(Duration.ofMillis(3500), backoff.longestTotalWait());
  }

  @Test
  void theDefaultTriesForAboutTwoMinutes() {
    assertEquals(Duration.ofMillis(121_500), Backoff.DEFAULT.longestTotalWait());
  }
}
