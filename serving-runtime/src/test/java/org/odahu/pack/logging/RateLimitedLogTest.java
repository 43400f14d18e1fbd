package org.odahu.pack.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Errors that repeat by the thousand are logged by the minute, and accepting pauses on them. */
class RateLimitedLogTest {
  private final List<String> lines = new ArrayList<>();
  private final System.Logger logger =
      new System.Logger() {
        @Override
        public String getName() {
          return "test";
        }

        @Override
        public boolean isLoggable(Level level) {
          return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
          lines.add(message);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
          lines.add(format);
        }
      };

  @Test
  void theFirstIsLoggedThenOnePerPeriodWithTheCountOfTheOthers() {
    AtomicLong now = new AtomicLong(1_000);
    RateLimitedLog log = new RateLimitedLog(logger, 60, TimeUnit.SECONDS, now::get);
    for (int i = 0; i < 1000; i++) {
      log.warn("Too many open files");
      now.addAndGet(TimeUnit.MILLISECONDS.toNanos(10));
    }
    now.addAndGet(TimeUnit.SECONDS.toNanos(60));
    log.warn("Too many open files");
    assertEquals(
        List.of("Too many open files", "Too many open files (999 more since the last report)"),
        lines);
  }

  @Test
  void aReportIsDueTheFirstTimeThenOncePerPeriod() {
    AtomicLong now = new AtomicLong(1_000);
    RateLimitedLog log = new RateLimitedLog(logger, 60, TimeUnit.SECONDS, now::get);
    assertEquals(true, log.due());
    now.addAndGet(TimeUnit.SECONDS.toNanos(59));
    assertEquals(false, log.due());
    now.addAndGet(TimeUnit.SECONDS.toNanos(1));
    assertEquals(true, log.due());
    assertEquals(false, log.due());
    assertEquals(List.of(), lines, "due() logs nothing itself");
  }
}
