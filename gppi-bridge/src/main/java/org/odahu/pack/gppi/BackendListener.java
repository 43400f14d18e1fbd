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
   * A worker died or was killed and will be replaced.
   *
   * @param worker the worker's name
   * @param reason why
   */
  default void onWorkerLost(String worker, String reason) {}
}
