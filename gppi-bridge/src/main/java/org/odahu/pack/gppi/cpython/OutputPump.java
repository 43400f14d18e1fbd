package org.odahu.pack.gppi.cpython;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;

/**
 * Drains a worker's stderr (where the model's prints also land) into the Java log, line by line,
 * tagged with the worker, and remembers the last lines for crash reports. A line longer than {@link
 * #MAX_LINE_CHARS} is logged in pieces of that size, so output without newlines cannot exhaust the
 * heap.
 */
final class OutputPump implements Runnable {
  private static final System.Logger LOG = System.getLogger("org.odahu.pack.gppi.model");
  private static final int REMEMBERED_LINES = 20;
  private static final int MAX_LINE_CHARS = 64 * 1024;

  private final InputStream stream;
  private final ArrayDeque<String> lastLines = new ArrayDeque<>();
  private final String tag;

  OutputPump(InputStream stream, String tag) {
    this.stream = stream;
    this.tag = tag;
  }

  /** The last lines the worker wrote, oldest first. */
  synchronized List<String> lastLines() {
    return List.copyOf(lastLines);
  }

  @Override
  public void run() {
    try (Reader reader = new InputStreamReader(stream, StandardCharsets.UTF_8)) {
      StringBuilder line = new StringBuilder();
      char[] buffer = new char[8192];
      boolean afterCr = false;
      int count;
      while ((count = reader.read(buffer)) >= 0) {
        for (int i = 0; i < count; i++) {
          char c = buffer[i];
          // Lines end as for BufferedReader.readLine(): \n, \r or \r\n.
          if (c == '\n' && afterCr) {
            afterCr = false;
            continue;
          }
          afterCr = c == '\r';
          if (c == '\n' || c == '\r') {
            emit(line);
          } else if (line.append(c).length() == MAX_LINE_CHARS) {
            emit(line);
          }
        }
      }
      if (!line.isEmpty()) {
        emit(line);
      }
    } catch (IOException e) {
      // The worker is gone; its output ends here.
    }
  }

  /** Logs and remembers {@code line}, then empties it. */
  private void emit(StringBuilder line) {
    String text = line.toString();
    line.setLength(0);
    synchronized (this) {
      if (lastLines.size() == REMEMBERED_LINES) {
        lastLines.removeFirst();
      }
      lastLines.addLast(text);
    }
    LOG.log(System.Logger.Level.INFO, "[{0}] {1}", tag, text);
  }
}
