package org.odahu.pack.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Progress on stderr: plain lines at an interval off a terminal, one redrawn line on it. */
class ProgressPrinterTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  private final AtomicLong clock = new AtomicLong();
  private final StringWriter err = new StringWriter();

  private ProgressPrinter printer(boolean terminal) {
    return new ProgressPrinter(new PrintWriter(err), terminal, 10 * SECOND, clock::get);
  }

  private static BatchProgress at(long rows, long read, long seconds, boolean finished) {
    return new BatchProgress(rows, 0, rows, read, 1000, seconds * SECOND, finished);
  }

  @Test
  void plainLinesEveryIntervalThenASummary() {
    ProgressPrinter progress = printer(false);
    clock.set(4 * SECOND);
    progress.progress(at(40_000, 100, 4, false));
    assertEquals("", err.toString(), "nothing before the interval");
    clock.set(10 * SECOND);
    progress.progress(at(100_000, 250, 10, false));
    clock.set(12 * SECOND);
    progress.progress(at(120_000, 300, 12, false));
    clock.set(40 * SECOND);
    progress.progress(at(400_000, 1000, 40, true));
    assertEquals(
        "[odahu-pack] 100,000 rows, 10,000 rows/s, 25% read, 30 s left\n"
            + "[odahu-pack] predicted 400,000 rows in 40 s (10,000 rows/s)\n",
        err.toString());
  }

  @Test
  void aTerminalLineIsRedrawnInPlaceAndEndedWithTheSummary() {
    ProgressPrinter progress = printer(true);
    clock.set(SECOND);
    progress.progress(at(1_000, 500, 1, false));
    clock.set(125 * SECOND);
    progress.progress(at(2_000, 1000, 125, true));
    assertEquals(
        "\r1,000 rows, 1,000 rows/s, 50% read, 1 s left   "
            + "\r2,000 rows, 16 rows/s, 100% read\n"
            + "[odahu-pack] predicted 2,000 rows in 0:02:05 (16 rows/s)\n",
        err.toString());
  }

  @Test
  void failedRowsAreCounted() {
    BatchProgress failed = new BatchProgress(900, 100, 1000, 1000, 1000, SECOND, true);
    assertEquals(
        "900 rows, 1,000 rows/s, 100% read, 100 rows failed", ProgressPrinter.line(failed));
  }

  /**
   * Reading runs ahead of the model: with half the rows read done, half the read share is done.
   * Judged by the bytes read alone, 50% read after 10 s would leave 10 s; a quarter done leaves 30.
   */
  @Test
  void timeLeftCountsTheRowsReadButNotYetPredicted() {
    BatchProgress ahead = new BatchProgress(1_000, 0, 2_000, 500, 1000, 10 * SECOND, false);
    assertEquals(30, ahead.secondsLeft());
    assertEquals(-1, new BatchProgress(0, 0, 0, 0, 1000, SECOND, false).secondsLeft());
  }
}
