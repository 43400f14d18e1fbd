package org.odahu.pack.gppi.pool;

import java.util.concurrent.CountDownLatch;
import org.odahu.pack.gppi.BackendOptions;
import org.odahu.pack.gppi.runtime.WorkerFactory;

/**
 * What the slots of one pool share, handed to each slot instead of the pool itself.
 *
 * @param factory starts workers
 * @param options timeouts, limits, batching policy and the listener
 * @param queue where the calls wait
 * @param merging whether queued predictions are merged now
 * @param clock time for deadlines and back-off
 * @param closing opens when the pool closes
 * @param events where a slot reports starts, failures and losses
 */
record SlotContext(
    WorkerFactory factory,
    BackendOptions options,
    JobQueue queue,
    Merging merging,
    PoolClock clock,
    CountDownLatch closing,
    SlotEvents events) {

  boolean isClosing() {
    return closing.getCount() == 0;
  }
}
