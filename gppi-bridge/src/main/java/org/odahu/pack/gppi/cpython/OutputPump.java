package org.odahu.pack.gppi.cpython;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;

/**
 * Drains a worker's stderr (where the model's prints also land) into the Java log, line by line,
 * tagged with the worker, and remembers the last lines for crash reports.
 */
final class OutputPump implements Runnable {
  private static final System.Logger LOG = System.getLogger("org.odahu.pack.gppi.model");
  private static final int REMEMBERED_LINES = 20;

  private final InputStream stream;
  private final ArrayDeque<String> lastLines = new ArrayDeque<>();
  private volatile String tag;

  OutputPump(InputStream stream, String tag) {
    this.stream = stream;
    this.tag = tag;
  }

  void retag(String newTag) {
    this.tag = newTag;
  }

  /** The last lines the worker wrote, oldest first. */
  synchronized List<String> lastLines() {
    return List.copyOf(lastLines);
  }

  @Override
  public void run() {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        synchronized (this) {
          if (lastLines.size() == REMEMBERED_LINES) {
            lastLines.removeFirst();
          }
          lastLines.addLast(line);
        }
        LOG.log(System.Logger.Level.INFO, "[{0}] {1}", tag, line);
      }
    } catch (IOException e) {
      // The worker is gone; its output ends here.
    }
  }
}
