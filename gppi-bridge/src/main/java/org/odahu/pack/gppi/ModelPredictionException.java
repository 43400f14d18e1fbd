package org.odahu.pack.gppi;

/**
 * The model's own code raised while predicting, or in {@code info()} or the self-check ({@link
 * #call()}). {@link #getMessage()} is {@code str(exception)}, as ODAHU reports it after {@code
 * Exception during prediction: }; the worker lives on.
 */
public final class ModelPredictionException extends GppiException {
  private static final long serialVersionUID = 1L;

  /** {@link #call()} of an exception raised by {@code predict_on_matrix}. */
  public static final String PREDICTION = "prediction";

  private final String pythonType;
  private final String pythonTraceback;
  private final String call;

  /** An exception of {@code predict_on_matrix}. */
  public ModelPredictionException(String message, String pythonType, String pythonTraceback) {
    this(message, pythonType, pythonTraceback, PREDICTION);
  }

  /**
   * An exception of the model's code during {@code call}.
   *
   * @param call what the model was asked, for messages: {@link #PREDICTION}, {@code info()}, {@code
   *     the self-check}
   */
  public ModelPredictionException(
      String message, String pythonType, String pythonTraceback, String call) {
    super(message);
    this.pythonType = pythonType;
    this.pythonTraceback = pythonTraceback;
    this.call = call;
  }

  /** The Python exception's class name, e.g. {@code ValueError}. */
  public String pythonType() {
    return pythonType;
  }

  /** The Python traceback. */
  public String pythonTraceback() {
    return pythonTraceback;
  }

  /**
   * What the model was asked when it raised: {@link #PREDICTION}, {@code info()} or {@code the
   * self-check}.
   */
  public String call() {
    return call;
  }
}
