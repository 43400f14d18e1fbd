package org.odahu.pack.gppi.graalpy;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** What the model prints, logged line by line and tagged with its worker. */
final class LineLogStream extends OutputStream {
  private static final System.Logger LOG = System.getLogger("org.odahu.pack.gppi.model");

  private final String tag;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();

  LineLogStream(String tag) {
    this.tag = tag;
  }

  @Override
  public synchronized void write(int b) {
    if (b == '\n') {
      flushLine();
    } else {
      line.write(b);
    }
  }

  @Override
  public synchronized void flush() {
    if (line.size() > 0) {
      flushLine();
    }
  }

  private void flushLine() {
    LOG.log(System.Logger.Level.INFO, "[{0}] {1}", tag, line.toString(StandardCharsets.UTF_8));
    line.reset();
  }
}
