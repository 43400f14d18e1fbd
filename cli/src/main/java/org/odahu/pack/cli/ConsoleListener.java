package org.odahu.pack.cli;

import java.io.PrintWriter;
import org.odahu.pack.packager.image.PackagingListener;

/**
 * Shows packaging on the console: steps as lines, and on a terminal a progress bar redrawn in place
 * (plain lines otherwise, so logs stay readable in CI).
 */
final class ConsoleListener implements PackagingListener {
  private static final int WIDTH = 30;

  private final PrintWriter err;
  private final boolean terminal;
  private final boolean verbose;
  private int lastPercent = -1;
  private boolean barShown;

  /** A listener drawing a progress bar when stderr is a terminal. */
  static ConsoleListener create(PrintWriter err, boolean verbose) {
    return new ConsoleListener(err, stderrIsTerminal(), verbose);
  }

  /** Whether file descriptor 2 is a terminal (Linux: a link to a tty or pseudo-terminal). */
  static boolean stderrIsTerminal() {
    try {
      String target =
          java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (java.io.IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  ConsoleListener(PrintWriter err, boolean terminal, boolean verbose) {
    this.err = err;
    this.terminal = terminal;
    this.verbose = verbose;
  }

  @Override
  public synchronized void step(String description) {
    clearBar();
    err.println("[odahu-pack] " + description);
    err.flush();
  }

  @Override
  public synchronized void progress(double fraction) {
    int percent = (int) Math.round(Math.max(0, Math.min(1, fraction)) * 100);
    if (percent == lastPercent) {
      return;
    }
    if (terminal) {
      int filled = percent * WIDTH / 100;
      err.print("\r[" + "=".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + percent + "%");
      barShown = true;
      err.flush();
    } else if (percent / 25 != lastPercent / 25 || percent == 100) {
      err.println("[odahu-pack] progress " + percent + "%");
      err.flush();
    }
    lastPercent = percent;
  }

  @Override
  public synchronized void detail(String message) {
    if (verbose) {
      clearBar();
      err.println("[odahu-pack]   " + message);
      err.flush();
    }
  }

  @Override
  public synchronized void warning(String message) {
    clearBar();
    err.println("[odahu-pack] WARNING: " + message);
    err.flush();
  }

  private void clearBar() {
    if (barShown) {
      err.print("\r" + " ".repeat(WIDTH + 8) + "\r");
      barShown = false;
    }
  }
}
