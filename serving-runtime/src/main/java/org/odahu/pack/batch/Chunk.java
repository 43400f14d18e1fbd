package org.odahu.pack.batch;

import java.io.ByteArrayOutputStream;
import org.odahu.pack.gppi.PredictionInput;

/**
 * Consecutive rows of the input, predicted by one model call.
 *
 * @param sequence the chunk's place in this process's slice, from 0
 * @param firstRow the input row number of its first row, from 1 (a CSV header is not a row)
 * @param input the model's input: the column names and the rows as JSON text
 * @param data the JSON text of {@code input}'s rows, {@code [row,row,...]}
 * @param rowBounds start and end offsets of each row's JSON text in {@code data}
 */
// Payloads are handed over, never copied: they are the hot path.
@SuppressWarnings("ArrayRecordComponent")
public record Chunk(
    long sequence, long firstRow, PredictionInput input, byte[] data, int[] rowBounds) {

  /** Rows in the chunk. */
  public int rows() {
    return rowBounds.length / 2;
  }

  /** The input row number of its last row. */
  public long lastRow() {
    return firstRow + rows() - 1;
  }

  /** {@code rows 11-20} or {@code row 7}, for messages. */
  public String describeRows() {
    return rows() == 1 ? "row " + firstRow : "rows " + firstRow + "-" + lastRow();
  }

  /** Writes row {@code index}'s JSON text (0 is the chunk's first row) to {@code out}. */
  public void writeRow(int index, ByteArrayOutputStream out) {
    out.write(data, rowBounds[2 * index], rowBounds[2 * index + 1] - rowBounds[2 * index]);
  }
}
