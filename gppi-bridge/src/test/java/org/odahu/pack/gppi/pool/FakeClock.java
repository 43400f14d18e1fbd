package org.odahu.pack.gppi.pool;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Time that moves only when the test moves it; back-off sleeps are recorded and pass at once (up to
 * a limit, after which they last until the pool closes, so a failing start cannot spin).
 */
final class FakeClock implements PoolClock {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final List<Long> sleeps = new CopyOnWriteArrayList<>();
  private final int sleepLimit;

  FakeClock(int sleepLimit) {
    this.sleepLimit = sleepLimit;
  }

  FakeClock() {
    this(100);
  }

  @Override
  public long nanoTime() {
    return now.get();
  }

  void advance(Duration duration) {
    now.addAndGet(duration.toNanos());
  }

  @Override
  public boolean sleep(long millis, CountDownLatch wakeUp) throws InterruptedException {
    sleeps.add(millis);
    if (sleeps.size() > sleepLimit) {
      wakeUp.await();
      return true;
    }
    advance(Duration.ofMillis(millis));
    return wakeUp.getCount() == 0;
  }

  /** The back-off sleeps so far, in milliseconds. */
  List<Long> sleeps() {
    return List.copyOf(sleeps);
  }
}
