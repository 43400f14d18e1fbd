package org.odahu.pack.batch;

/** Receives the progress of a batch prediction, after each chunk; front ends render it. */
@FunctionalInterface
public interface BatchListener {
  /** A listener that ignores everything. */
  BatchListener NONE = progress -> {};

  /** Called from the thread running the prediction. */
  void progress(BatchProgress progress);
}
