package org.odahu.pack.gppi;

/**
 * The model's own code raised while predicting. {@link #getMessage()} is {@code str(exception)}, as
 * ODAHU reports it after {@code Exception during prediction: }; the worker lives on.
 */
public final class ModelPredictionException extends GppiException {
  private static final long serialVersionUID = 1L;
  private final String pythonType;
  private final String pythonTraceback;

  public ModelPredictionException(String message, String pythonType, String pythonTraceback) {
    super(message);
    this.pythonType = pythonType;
    this.pythonTraceback = pythonTraceback;
  }

  /** The Python exception's class name, e.g. {@code ValueError}. */
  public String pythonType() {
    return pythonType;
  }

  /** The Python traceback. */
  public String pythonTraceback() {
    return pythonTraceback;
  }
}
