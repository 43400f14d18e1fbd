package org.odahu.pack.batch;

import java.nio.file.Path;

/**
 * What a batch prediction wrote.
 *
 * @param output the result file
 * @param rows rows predicted
 * @param failedRows rows of failed chunks, in {@code errors}
 * @param errors the side file of failed rows, or {@code null} when none failed
 */
public record BatchResult(Path output, long rows, long failedRows, Path errors) {}
