package org.odahu.pack.gppi;

/** The worker running the call died (exit, signal, protocol breach); it is being replaced. */
public final class WorkerCrashedException extends GppiException {
  private static final long serialVersionUID = 1L;

  /** What the worker was asked when it died: {@code the prediction}, {@code info()}. */
  private final String call;

  public WorkerCrashedException(String message) {
    this(message, "the prediction");
  }

  public WorkerCrashedException(String message, String call) {
    super(message);
    this.call = call;
  }

  public WorkerCrashedException(String message, Throwable cause) {
    super(message, cause);
    this.call = "the prediction";
  }

  /** What the worker was asked when it died: {@code the prediction}, {@code info()}. */
  public String call() {
    return call;
  }
}
