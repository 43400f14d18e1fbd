package org.odahu.pack.batch;

import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * What a batch prediction wrote.
 *
 * @param output the result file
 * @param rows rows predicted
 * @param failedRows rows of failed chunks, in {@code errors}
 * @param errors the side file of failed rows, or {@code null} when none failed
 */
public record BatchResult(Path output, long rows, long failedRows, Path errors) {
  /** Whether rows failed and none was predicted. */
  public boolean nonePredicted() {
    return errors != null && rows == 0;
  }

  /**
   * Prints where the failed rows went, if any, and returns the command's exit status: 1 when rows
   * failed and none was predicted (with {@code --on-error skip}, a model that fails every row has
   * not succeeded either; the files are written all the same), else 0.
   */
  public int report(PrintWriter out, PrintWriter err) {
    if (errors == null) {
      return 0;
    }
    out.println("Rows that failed: " + failedRows + ", written to " + errors);
    if (!nonePredicted()) {
      return 0;
    }
    out.flush();
    err.println(
        "Error: every row failed ("
            + failedRows
            + "), none was predicted into "
            + output
            + "; the reasons are in "
            + errors);
    return 1;
  }
}
