package org.odahu.pack.gppi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BatchingPolicyTest {

  @Test
  void aNegativeDelayIsReportedInMilliseconds() {
    InvalidOptionsException refused =
        assertThrows(
            InvalidOptionsException.class,
            () -> new BatchingPolicy(true, 8, Duration.ofMillis(-5)));
    assertTrue(refused.getMessage().contains("got -5 ms"), refused.getMessage());
  }

  @Test
  void warnsWhenTheDelayIsNotShorterThanTheTimeout() {
    Duration timeout = Duration.ofSeconds(1);
    assertEquals(
        Optional.of(
            "The batch delay (4000 ms) is not shorter than the timeout (1000 ms): a request may"
                + " time out waiting for others to merge with; the wait ends at the earliest"
                + " deadline of the requests it holds"),
        new BatchingPolicy(true, 8, Duration.ofSeconds(4)).delayWarning(timeout));
    assertTrue(
        new BatchingPolicy(true, 8, Duration.ofSeconds(1)).delayWarning(timeout).isPresent());
    assertEquals(
        Optional.empty(),
        new BatchingPolicy(true, 8, Duration.ofMillis(999)).delayWarning(timeout));
    assertEquals(
        Optional.empty(),
        new BatchingPolicy(false, 8, Duration.ofSeconds(4)).delayWarning(timeout));
  }
}
