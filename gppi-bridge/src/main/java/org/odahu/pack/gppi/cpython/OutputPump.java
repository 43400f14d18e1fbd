package org.odahu.pack.gppi.cpython;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.odahu.pack.gppi.runtime.ModelOutputLog;

/**
 * Drains a worker's stderr (where the model's prints also land) into its {@link ModelOutputLog},
 * which bounds what reaches the Java log; without a reader the worker would block on a full pipe.
 */
final class OutputPump implements Runnable {
  private final InputStream stream;
  private final ModelOutputLog log;

  OutputPump(InputStream stream, ModelOutputLog log) {
    this.stream = stream;
    this.log = log;
  }

  /** The last lines the worker wrote, oldest first. */
  List<String> lastLines() {
    return log.lastLines();
  }

  /** How many lines the worker has written. */
  long lineCount() {
    return log.lineCount();
  }

  @Override
  public void run() {
    try (InputStream in = stream;
        ModelOutputLog out = log) {
      in.transferTo(out);
    } catch (IOException e) {
      // The worker is gone; its output ends here.
    }
  }
}
