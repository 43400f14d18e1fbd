package org.odahu.pack.commandline;

import org.odahu.pack.gppi.BackendOptions;
import picocli.CommandLine.Option;

/** {@code --input-matrix}, for every command that runs a model's predictions (a picocli mixin). */
public final class InputMatrixOption {
  @Option(
      names = "--input-matrix",
      paramLabel = "lists|ndarray",
      defaultValue = "${env:ODAHU_INPUT_MATRIX:-" + BackendOptions.LISTS + "}",
      converter = Converters.InputMatrix.class,
      description =
          "What the model's input_matrix is: lists of rows, as ODAHU passes it (default), or"
              + " ndarray: a 2-D float64 numpy array when every value is a number (faster for"
              + " large inputs; env ODAHU_INPUT_MATRIX).")
  String inputMatrix;

  /** {@link BackendOptions#LISTS} or {@link BackendOptions#NDARRAY}. */
  public String value() {
    return inputMatrix;
  }
}
