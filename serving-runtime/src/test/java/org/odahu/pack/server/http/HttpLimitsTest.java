package org.odahu.pack.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HttpLimitsTest {
  @Test
  void everyLimitOutOfRangeIsNamedByItsFlag() {
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> new HttpLimits(0, Duration.ZERO, -1));
    assertEquals(
        "--max-connections must be at least 1, got 0; --request-read-timeout must be positive,"
            + " got PT0S; --max-buffered-bytes must not be negative, got -1",
        error.getMessage());
  }

  @Test
  void bufferedBytesDefaultToAQuarterOfTheHeapAndNeverLessThanOneBody() {
    long quarter = Runtime.getRuntime().maxMemory() / 4;
    assertEquals(Math.max(quarter, 1024), HttpLimits.DEFAULTS.bufferedBytes(1024));
    assertEquals(
        Math.max(quarter, Integer.MAX_VALUE), HttpLimits.DEFAULTS.bufferedBytes(Integer.MAX_VALUE));
    assertEquals(5000, new HttpLimits(1, Duration.ofSeconds(1), 5000).bufferedBytes(1024));
  }

  @Test
  void connectionsLeaveDescriptorsForEverythingElse() {
    assertEquals(768, FileDescriptors.connectionsAllowed(1024));
    assertEquals(943_719, FileDescriptors.connectionsAllowed(1_048_576));
    assertEquals(1, FileDescriptors.connectionsAllowed(100));
    assertEquals(Integer.MAX_VALUE, FileDescriptors.connectionsAllowed(-1));
  }
}
