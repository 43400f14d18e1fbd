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
  private final List<Runnable> scheduled = new ArrayList<>();
  private final List<Long> delays = new ArrayList<>();
  private final RateLimitedLog.Scheduler scheduler =
      (task, delayNanos) -> {
        scheduled.add(task);
        delays.add(delayNanos);
      };
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
    RateLimitedLog log = new RateLimitedLog(logger, 60, TimeUnit.SECONDS, now::get, scheduler);
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

  /** A burst that ends is reported when its period is over, with no further occurrence. */
  @Test
  void theRestOfABurstIsReportedWhenThePeriodIsOver() {
    AtomicLong now = new AtomicLong(1_000);
    RateLimitedLog log = new RateLimitedLog(logger, 10, TimeUnit.SECONDS, now::get, scheduler);
    log.warn("dropped 1");
    now.addAndGet(TimeUnit.SECONDS.toNanos(1));
    for (int i = 2; i <= 5; i++) {
      log.warn("dropped " + i);
    }
    assertEquals(List.of("dropped 1"), lines);
    assertEquals(List.of(TimeUnit.SECONDS.toNanos(9)), delays, "one report, when the period ends");
    now.addAndGet(TimeUnit.SECONDS.toNanos(9));
    scheduled.get(0).run();
    assertEquals(List.of("dropped 1", "dropped 5 (3 more since the last report)"), lines);
    // Nothing suppressed since: the next one is logged, the next period after it.
    now.addAndGet(TimeUnit.SECONDS.toNanos(10));
    log.warn("dropped 6");
    assertEquals("dropped 6", lines.get(2));
    assertEquals(1, scheduled.size());
  }

  /** A report its caller words itself: now when due, else once at the period's end, the last. */
  @Test
  void aReportWordedByItsCallerRunsNowOrAtThePeriodsEnd() {
    AtomicLong now = new AtomicLong(1_000);
    RateLimitedLog log = new RateLimitedLog(logger, 60, TimeUnit.SECONDS, now::get, scheduler);
    log.reportWhenDue(() -> lines.add("first"));
    log.reportWhenDue(() -> lines.add("second"));
    log.reportWhenDue(() -> lines.add("third"));
    assertEquals(List.of("first"), lines);
    assertEquals(1, scheduled.size());
    now.addAndGet(TimeUnit.SECONDS.toNanos(60));
    scheduled.get(0).run();
    assertEquals(List.of("first", "third"), lines);
    scheduled.get(0).run(); // nothing is held back any more
    assertEquals(List.of("first", "third"), lines);
  }

  @Test
  void aReportIsDueTheFirstTimeThenOncePerPeriod() {
    AtomicLong now = new AtomicLong(1_000);
    RateLimitedLog log = new RateLimitedLog(logger, 60, TimeUnit.SECONDS, now::get, scheduler);
    assertEquals(true, log.due());
    now.addAndGet(TimeUnit.SECONDS.toNanos(59));
    assertEquals(false, log.due());
    now.addAndGet(TimeUnit.SECONDS.toNanos(1));
    assertEquals(true, log.due());
    assertEquals(false, log.due());
    assertEquals(List.of(), lines, "due() logs nothing itself");
  }
}
