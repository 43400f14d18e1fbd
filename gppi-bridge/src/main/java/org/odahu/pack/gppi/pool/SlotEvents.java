package org.odahu.pack.gppi.pool;

import org.odahu.pack.gppi.BackendConfigurationException;
import org.odahu.pack.gppi.ModelStartupException;
import org.odahu.pack.gppi.runtime.Worker;

/** What a {@link WorkerSlot} tells its pool. Called from the slot's thread. */
interface SlotEvents {

  /** Slot {@code slot} has a started, initialised worker. */
  void started(int slot, Worker worker);

  /** A start failed; the slot retries after a back-off. {@code attempt} counts from 1. */
  void failedToStart(int slot, ModelStartupException failure, int attempt);

  /** The slot cannot ever start a worker with these options; it has stopped. */
  void cannotStart(int slot, BackendConfigurationException failure);

  /** A worker died or was killed; the slot starts a replacement. */
  void lost(int slot, Worker worker, String reason);

  /** Running a batch failed in an unexpected way; its calls failed and its worker is replaced. */
  void failed(int slot, Throwable failure);
}
