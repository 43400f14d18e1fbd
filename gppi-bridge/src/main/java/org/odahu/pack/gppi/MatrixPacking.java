package org.odahu.pack.gppi;

/**
 * Which matrices travel to the worker as packed doubles instead of the client's JSON text (see
 * {@code WireMessages.predictRequest}).
 */
public enum MatrixPacking {
  /** None: the runtime takes JSON text only (GraalPy gets the payload as a string). */
  NONE,
  /**
   * Matrices whose numbers are all written as floats ({@link PredictionInput#floats()}); the worker
   * rebuilds the lists of floats that parsing the JSON would have given.
   */
  FLOATS,
  /** Matrices of any numbers ({@link PredictionInput#numbers()}), the model's 2-D numpy array. */
  NUMBERS;

  /** {@code input}'s values as this packing sends them, or {@code null} when it stays JSON. */
  public double[] values(PredictionInput input) {
    return switch (this) {
      case NONE -> null;
      case FLOATS -> input.floats();
      case NUMBERS -> input.numbers();
    };
  }
}
