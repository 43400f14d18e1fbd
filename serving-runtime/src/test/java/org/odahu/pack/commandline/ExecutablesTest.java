package org.odahu.pack.commandline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ExecutablesTest {
  private String before;

  @BeforeEach
  void forget() {
    before = System.clearProperty(Executables.NETTY_JFR);
  }

  @AfterEach
  void restore() {
    if (before == null) {
      System.clearProperty(Executables.NETTY_JFR);
    } else {
      System.setProperty(Executables.NETTY_JFR, before);
    }
  }

  @Test
  void nettysFlightRecorderEventsAreOffByDefault() {
    Executables.prepare(Map.of());
    assertEquals("false", System.getProperty(Executables.NETTY_JFR));
  }

  @Test
  void theCommandLineCanTurnNettysFlightRecorderEventsOn() {
    System.setProperty(Executables.NETTY_JFR, "true");
    Executables.prepare(Map.of());
    assertEquals("true", System.getProperty(Executables.NETTY_JFR));
  }
}
