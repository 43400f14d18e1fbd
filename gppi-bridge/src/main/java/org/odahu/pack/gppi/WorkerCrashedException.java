package org.odahu.pack.gppi;

/** The worker running the call died (exit, signal, protocol breach); it is being replaced. */
public final class WorkerCrashedException extends GppiException {
  private static final long serialVersionUID = 1L;

  /** What a prediction call is, in messages. */
  public static final String PREDICTION = "the prediction";

  /** What the worker was asked when it died: {@link #PREDICTION}, {@code info()}. */
  private final String call;

  public WorkerCrashedException(String message) {
    this(message, PREDICTION);
  }

  public WorkerCrashedException(String message, String call) {
    super(message);
    this.call = call;
  }

  public WorkerCrashedException(String message, Throwable cause) {
    super(message, cause);
    this.call = PREDICTION;
  }

  /** What the worker was asked when it died: {@code the prediction}, {@code info()}. */
  public String call() {
    return call;
  }
}
