package org.odahu.pack.batch;

import java.io.IOException;
import org.odahu.pack.gppi.Prediction;

/** Writes the model's answers in one output format, in input order. */
interface ResultWriter {
  /**
   * The answer to an input predicted in one model call: written as the format allows, unchecked
   * (ODAHU's file for ODAHU's format, byte for byte).
   */
  void whole(Prediction prediction) throws IOException;

  /** One chunk's answer, one row per input row, after the previous chunk's. */
  void rows(PredictionRows rows, byte[] columnsJson) throws IOException;

  /**
   * Ends the output.
   *
   * @param columnsJson the answers' column names, or {@code null} when no row was predicted
   */
  void finish(byte[] columnsJson) throws IOException;
}
