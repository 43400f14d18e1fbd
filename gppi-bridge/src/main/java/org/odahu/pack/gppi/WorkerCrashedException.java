package org.odahu.pack.gppi;

/** The worker running the call died (exit, signal, protocol breach); it is being replaced. */
public final class WorkerCrashedException extends GppiException {
  private static final long serialVersionUID = 1L;

  public WorkerCrashedException(String message) {
    super(message);
  }

  public WorkerCrashedException(String message, Throwable cause) {
    super(message, cause);
  }
}
