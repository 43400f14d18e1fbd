package org.odahu.pack.gppi.pool;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** How the pool reads time and waits out restart back-off; tests substitute a clock they drive. */
interface PoolClock {
  /** The monotonic system clock and real waits. */
  PoolClock SYSTEM =
      new PoolClock() {
        @Override
        public long nanoTime() {
          return System.nanoTime();
        }

        @Override
        public boolean sleep(long millis, CountDownLatch wakeUp) throws InterruptedException {
          return wakeUp.await(millis, TimeUnit.MILLISECONDS);
        }
      };

  /** Now, on {@link System#nanoTime()}'s scale: only differences mean anything. */
  long nanoTime();

  /** Waits {@code millis}, or less once {@code wakeUp} opens; returns whether it opened. */
  boolean sleep(long millis, CountDownLatch wakeUp) throws InterruptedException;
}
