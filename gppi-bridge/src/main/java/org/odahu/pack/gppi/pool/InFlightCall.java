package org.odahu.pack.gppi.pool;

import java.util.List;
import org.odahu.pack.gppi.runtime.Frames;
import org.odahu.pack.gppi.runtime.Worker;

/**
 * One call running on a worker: the worker, the jobs it serves and its deadline. Every call is a
 * new object compared by identity (no {@code equals}), so whoever ends it (the slot when the worker
 * answers, the deadline thread when it does not) can tell it from the call that follows it on the
 * same worker.
 */
final class InFlightCall {
  private final Worker worker;
  private final List<? extends Job<?>> jobs;
  private final int frameType;
  private final long deadlineNanos;

  InFlightCall(Worker worker, List<? extends Job<?>> jobs, int frameType, long deadlineNanos) {
    this.worker = worker;
    this.jobs = List.copyOf(jobs);
    this.frameType = frameType;
    this.deadlineNanos = deadlineNanos;
  }

  Worker worker() {
    return worker;
  }

  /** The frame type sent. */
  int frameType() {
    return frameType;
  }

  /** Whether this is a health check of an idle worker rather than work for a caller. */
  boolean isPing() {
    return frameType == Frames.PING;
  }

  /** The jobs the call serves; none for a ping. */
  List<? extends Job<?>> jobs() {
    return jobs;
  }

  boolean overdue(long now) {
    return now - deadlineNanos >= 0;
  }

  @Override
  public String toString() {
    return "call of frame type " + frameType + " on " + worker.name();
  }
}
