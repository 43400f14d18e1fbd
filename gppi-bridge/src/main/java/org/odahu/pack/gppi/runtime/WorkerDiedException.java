package org.odahu.pack.gppi.runtime;

/** The worker stopped answering: it exited, was killed or broke the protocol. */
public final class WorkerDiedException extends Exception {
  private static final long serialVersionUID = 1L;

  public WorkerDiedException(String reason) {
    super(reason);
  }

  public WorkerDiedException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
