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

  /**
   * Kills the workers {@link #start} is still waiting for, and any it starts from now on, so that
   * closing a pool does not wait for a model's import and {@code init()}; their {@code start}
   * throws {@link ModelStartupException}. Runtimes whose start cannot be cut short ignore it.
   */
  default void abortStarts() {}

  /** Releases what the factory holds (temporary files, engines). */
  @Override
  default void close() {}
}
