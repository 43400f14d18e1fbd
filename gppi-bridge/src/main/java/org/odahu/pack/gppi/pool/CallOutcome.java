package org.odahu.pack.gppi.pool;

import org.odahu.pack.gppi.GppiException;
import org.odahu.pack.gppi.runtime.Reply;

/**
 * What one call to a worker gave: a reply, or the failure of every job it carried.
 *
 * @param reply the worker's answer, or {@code null} on failure
 * @param failure why the call failed, or {@code null}
 * @param workerDied whether the worker died during the call (not a timeout kill)
 * @param sent whether the call reached the worker (false: refused before it was sent)
 */
record CallOutcome(Reply reply, GppiException failure, boolean workerDied, boolean sent) {
  static CallOutcome answered(Reply reply) {
    return new CallOutcome(reply, null, false, true);
  }

  static CallOutcome failed(GppiException failure, boolean workerDied) {
    return new CallOutcome(null, failure, workerDied, true);
  }

  /**
   * A call its worker was gone before it could take (it exited while idle): no failure, the jobs go
   * back to the queue for the next worker.
   */
  static CallOutcome undelivered() {
    return new CallOutcome(null, null, true, false);
  }

  /** Whether the call never reached a worker and its jobs are to be queued again. */
  boolean isUndelivered() {
    return reply == null && failure == null;
  }

  /** A call never sent: the worker took nothing, and the model was not called. */
  static CallOutcome refused(GppiException failure) {
    return new CallOutcome(null, failure, false, false);
  }
}
