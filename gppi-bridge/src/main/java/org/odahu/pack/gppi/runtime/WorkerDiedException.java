package org.odahu.pack.gppi.runtime;

/** The worker stopped answering: it exited, was killed or broke the protocol. */
public final class WorkerDiedException extends Exception {
  private static final long serialVersionUID = 1L;

  private final boolean undelivered;

  public WorkerDiedException(String reason) {
    this(reason, null, false);
  }

  public WorkerDiedException(String reason, Throwable cause) {
    this(reason, cause, false);
  }

  private WorkerDiedException(String reason, Throwable cause, boolean undelivered) {
    super(reason, cause);
    this.undelivered = undelivered;
  }

  /**
   * The worker was gone before the call reached it (its pipe refused the request): the model was
   * not called, and the call may go to another worker.
   */
  public static WorkerDiedException undelivered(String reason) {
    return new WorkerDiedException(reason, null, true);
  }

  /** Whether the call never reached the worker (see {@link #undelivered(String)}). */
  public boolean isUndelivered() {
    return undelivered;
  }
}
