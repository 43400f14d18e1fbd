package org.odahu.pack.batch;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Shows a batch prediction's progress on stderr: on a terminal one line redrawn in place (rows,
 * rows/s, share of the input read, time left), otherwise a plain line every {@code interval}, so
 * logs stay readable; and a summary at the end. Where the logs are JSON ({@link #toLog}), the same
 * lines are log records, so that every line on stderr is one JSON object.
 */
public final class ProgressPrinter implements BatchListener {
  private static final long REDRAW_NANOS = 250_000_000L;
  private static final System.Logger LOG = System.getLogger(ProgressPrinter.class.getName());

  private final PrintWriter err;
  private final boolean terminal;
  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private long lastShown;
  private boolean lineShown;

  /**
   * @param terminal whether stderr is a terminal (see {@link #stderrIsTerminal()})
   * @param intervalNanos how often a plain line is printed when it is not
   */
  public ProgressPrinter(
      PrintWriter err, boolean terminal, long intervalNanos, LongSupplier nanoTime) {
    this.err = err;
    this.terminal = terminal;
    this.intervalNanos = intervalNanos;
    this.nanoTime = nanoTime;
    this.lastShown = nanoTime.getAsLong();
  }

  /** Progress as INFO records of the log, a plain line every {@code intervalNanos}. */
  public static ProgressPrinter toLog(long intervalNanos, LongSupplier nanoTime) {
    return new ProgressPrinter(null, false, intervalNanos, nanoTime);
  }

  /** Whether file descriptor 2 is a terminal (Linux: a link to a tty or pseudo-terminal). */
  public static boolean stderrIsTerminal() {
    try {
      String target =
          java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (java.io.IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  @Override
  public void progress(BatchProgress progress) {
    if (progress.finished()) {
      if (lineShown && terminal) {
        err.print("\r" + line(progress) + "\n");
      }
      show(summary(progress));
      return;
    }
    long now = nanoTime.getAsLong();
    if (now - lastShown < (terminal ? REDRAW_NANOS : intervalNanos)) {
      return;
    }
    lastShown = now;
    lineShown = true;
    if (terminal) {
      err.print("\r" + line(progress) + "   ");
      err.flush();
    } else {
      show(line(progress));
    }
  }

  private void show(String text) {
    if (err == null) {
      LOG.log(System.Logger.Level.INFO, text);
    } else {
      err.println("[odahu-pack] " + text);
      err.flush();
    }
  }

  /** {@code 120,000 rows, 40,210 rows/s, 31% read, 7 s left}. */
  static String line(BatchProgress progress) {
    long left = progress.secondsLeft();
    return String.format(
        Locale.ROOT,
        "%,d rows, %,.0f rows/s, %d%% read%s%s",
        progress.rows(),
        progress.rowsPerSecond(),
        Math.round(progress.fraction() * 100),
        progress.finished() || left < 0 ? "" : ", " + duration(left) + " left",
        progress.failedRows() == 0 ? "" : ", " + progress.failedRows() + " rows failed");
  }

  private static String summary(BatchProgress progress) {
    return String.format(
        Locale.ROOT,
        "predicted %,d rows in %s (%,.0f rows/s)%s",
        progress.rows(),
        duration(Math.round(progress.elapsedNanos() / 1e9)),
        progress.rowsPerSecond(),
        progress.failedRows() == 0 ? "" : "; " + progress.failedRows() + " rows failed");
  }

  private static String duration(long seconds) {
    return seconds < 60
        ? seconds + " s"
        : String.format(
            Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
  }
}
