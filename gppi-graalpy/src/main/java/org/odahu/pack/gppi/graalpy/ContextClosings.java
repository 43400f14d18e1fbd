package org.odahu.pack.gppi.graalpy;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Closes GraalPy contexts (and at last the engine) on threads of their own. Closing cancels the
 * guest code and waits until it has stopped, which guest code blocked where GraalPy does not look
 * for cancellation delays for as long as it stays blocked: the pool's deadline thread, which kills
 * every worker whose call overran, must not wait for that, nor must closing the server for ever.
 */
final class ContextClosings {
  private final Set<Thread> underWay = ConcurrentHashMap.newKeySet();

  /** Runs {@code close} on a daemon thread named {@code name}, which it returns. */
  Thread start(String name, Runnable close) {
    Thread thread =
        Thread.ofPlatform()
            .daemon()
            .name(name)
            .unstarted(
                () -> {
                  try {
                    close.run();
                  } finally {
                    underWay.remove(Thread.currentThread());
                  }
                });
    underWay.add(thread);
    thread.start();
    return thread;
  }

  /** Waits at most {@code grace} for the closings under way; returns whether they all ended. */
  boolean await(Duration grace) {
    long until = System.nanoTime() + grace.toNanos();
    try {
      for (Thread thread : List.copyOf(underWay)) {
        if (!thread.join(Duration.ofNanos(until - System.nanoTime()))) {
          return false;
        }
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
