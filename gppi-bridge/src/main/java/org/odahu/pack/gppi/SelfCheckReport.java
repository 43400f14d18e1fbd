package org.odahu.pack.gppi;

import java.util.List;

/**
 * What a GPPI self-check found: the model imported, {@code init()} and {@code info()} worked and,
 * when {@code head_input.pkl} exists, a prediction on it.
 *
 * @param inputColumns number of input columns {@code info()} declared
 * @param outputColumns number of output columns {@code info()} declared
 * @param predictedRows rows predicted from {@code head_input.pkl}, or -1 when there is none
 * @param predictedColumns the columns that prediction returned (empty when none)
 */
public record SelfCheckReport(
    int inputColumns, int outputColumns, int predictedRows, List<String> predictedColumns) {
  public SelfCheckReport {
    predictedColumns = List.copyOf(predictedColumns);
  }
}
