package org.odahu.pack.gppi.runtime;

import org.odahu.pack.gppi.ModelStartupException;

/** Starts workers for one model. */
public interface WorkerFactory extends AutoCloseable {

  /**
   * Starts worker number {@code id}: the model is imported and initialised when this returns.
   *
   * @throws ModelStartupException with the reason and a hint, if it cannot start
   */
  Worker start(int id);

  /** Releases what the factory holds (temporary files, engines). */
  @Override
  default void close() {}
}
