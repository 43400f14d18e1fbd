package org.odahu.pack.logging;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * A warning or error that may recur thousands of times a second (e.g. "Too many open files"):
 * logged the first time, then at most once per period with how many were not logged in between.
 * Those of a burst that ended are reported once its period is over, not only with the next
 * occurrence, which may never come. Thread-safe.
 */
public final class RateLimitedLog {
  /** Runs a task after a delay: the shared daemon thread, or a test's hand. */
  interface Scheduler {
    void schedule(Runnable task, long delayNanos);
  }

  private final System.Logger log;
  private final long periodNanos;
  private final LongSupplier clock;
  private final Scheduler scheduler;
  private final AtomicLong next;
  private final AtomicLong suppressed = new AtomicLong();
  private final AtomicBoolean reportScheduled = new AtomicBoolean();
  private final AtomicReference<Runnable> pending = new AtomicReference<>();

  public RateLimitedLog(System.Logger log, long period, TimeUnit unit) {
    this(log, period, unit, System::nanoTime, Reports::schedule);
  }

  RateLimitedLog(
      System.Logger log, long period, TimeUnit unit, LongSupplier clock, Scheduler scheduler) {
    this.log = log;
    this.periodNanos = unit.toNanos(period);
    this.clock = clock;
    this.scheduler = scheduler;
    this.next = new AtomicLong(clock.getAsLong());
  }

  /** Logs {@code message} at WARNING, unless one was logged less than a period ago. */
  public void warn(String message) {
    log(System.Logger.Level.WARNING, message);
  }

  /** Logs {@code message} at {@code level}, unless one was logged less than a period ago. */
  public void log(System.Logger.Level level, String message) {
    if (!due()) {
      suppressed.incrementAndGet();
      later(
          () -> {
            long skipped = suppressed.getAndSet(0);
            if (skipped > 0) {
              log.log(level, skipped == 1 ? message : withCount(message, skipped - 1));
            }
          });
      return;
    }
    pending.set(null); // this report counts the suppressed ones
    long skipped = suppressed.getAndSet(0);
    log.log(level, skipped == 0 ? message : withCount(message, skipped));
  }

  /**
   * Runs {@code report} now if a report is due, else once the period is over (the last report given
   * meanwhile wins): for a caller that words its report itself, with counts taken when it runs.
   */
  public void reportWhenDue(Runnable report) {
    if (due()) {
      pending.set(null);
      report.run();
    } else {
      later(report);
    }
  }

  /**
   * Whether a report is due: true the first time, then at most once per period (for a caller that
   * words its report itself, e.g. with counts taken when it is due). Thread-safe: one caller wins.
   */
  public boolean due() {
    long now = clock.getAsLong();
    long due = next.get();
    return now - due >= 0 && next.compareAndSet(due, now + periodNanos);
  }

  private void later(Runnable report) {
    pending.set(report);
    if (reportScheduled.compareAndSet(false, true)) {
      scheduler.schedule(this::runPending, Math.max(0, next.get() - clock.getAsLong()));
    }
  }

  /** The period is over: the report held back, if one still is. */
  void runPending() {
    reportScheduled.set(false);
    if (pending.get() == null) {
      return;
    }
    if (!due()) {
      later(pending.get()); // a report was made meanwhile, and more came after it
      return;
    }
    Runnable report = pending.getAndSet(null);
    if (report != null) {
      report.run();
    }
  }

  private static String withCount(String message, long more) {
    return message + " (" + more + " more since the last report)";
  }

  /** One daemon thread for every rate-limited log, started with the first burst. */
  private static final class Reports {
    private static final ScheduledThreadPoolExecutor EXECUTOR = executor();

    private static ScheduledThreadPoolExecutor executor() {
      ScheduledThreadPoolExecutor executor =
          new ScheduledThreadPoolExecutor(
              1, Thread.ofPlatform().daemon().name("odahu-log-reports").factory());
      executor.setRemoveOnCancelPolicy(true);
      return executor;
    }

    static void schedule(Runnable task, long delayNanos) {
      var unused = EXECUTOR.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    }
  }
}
