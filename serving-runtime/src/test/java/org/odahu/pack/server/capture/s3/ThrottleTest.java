package org.odahu.pack.server.capture.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ThrottleTest {
  @Test
  void reportsEachKindOncePerIntervalWithTheCountSkipped() {
    AtomicLong clock = new AtomicLong();
    Throttle throttle = new Throttle(100, clock::get);
    assertEquals(0, throttle.occurred("broken pipe"));
    assertEquals(-1, throttle.occurred("broken pipe"));
    assertEquals(1, throttle.occurred("403 SignatureDoesNotMatch"), "a new kind at once");
    assertEquals(-1, throttle.occurred("broken pipe"), "alternating kinds stay quiet");
    assertEquals(-1, throttle.occurred("403 SignatureDoesNotMatch"));
    clock.set(100);
    assertEquals(2, throttle.occurred("403 SignatureDoesNotMatch"));
    assertTrue(throttle.reset());
    assertFalse(throttle.reset());
    assertEquals(0, throttle.occurred("403 SignatureDoesNotMatch"), "reported again after a reset");
  }
}
