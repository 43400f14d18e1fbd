package org.odahu.pack.gppi;

/** Receives events from a backend, e.g. to record metrics. Called from worker threads. */
public interface BackendListener {
  /** A listener that ignores everything. */
  BackendListener NONE = new BackendListener() {};

  /**
   * One model call finished.
   *
   * @param requests how many requests the call served
   * @param rows how many rows it carried
   * @param callNanos how long the call took
   */
  default void onModelCall(int requests, int rows, long callNanos) {}

  /**
   * A prediction left the queue, once each: a worker took it, or its time ran out there.
   *
   * @param waitNanos how long it waited for a worker
   */
  default void onQueueWait(long waitNanos) {}

  /**
   * A worker died or was killed and will be replaced.
   *
   * @param worker the worker's name
   * @param reason why
   */
  default void onWorkerLost(String worker, String reason) {}

  /**
   * A worker wrote more output than its log limit: these lines were dropped, not logged. Called as
   * they are dropped.
   *
   * @param worker the worker's tag in the log
   * @param lines how many lines (or pieces of long lines) were dropped
   * @param bytes how many bytes they held
   */
  default void onModelOutputDropped(String worker, long lines, long bytes) {}
}
