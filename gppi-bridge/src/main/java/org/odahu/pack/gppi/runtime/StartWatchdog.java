package org.odahu.pack.gppi.runtime;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Kills a worker that does not become ready within its start timeout. */
public final class StartWatchdog {
  private static final int ARMED = 0;
  private static final int DISARMED = 1;
  private static final int FIRED = 2;

  private final AtomicInteger state = new AtomicInteger(ARMED);

  private StartWatchdog() {}

  /** Runs {@code kill} after {@code timeout} unless {@link #disarm()} comes first. */
  public static StartWatchdog arm(Duration timeout, Runnable kill) {
    StartWatchdog watchdog = new StartWatchdog();
    CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .execute(
            () -> {
              if (watchdog.state.compareAndSet(ARMED, FIRED)) {
                kill.run();
              }
            });
    return watchdog;
  }

  /** The worker answered (or failed): stand down. Returns whether the watchdog had fired. */
  public boolean disarm() {
    return !state.compareAndSet(ARMED, DISARMED) && state.get() == FIRED;
  }
}
