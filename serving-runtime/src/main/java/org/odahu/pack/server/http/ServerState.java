package org.odahu.pack.server.http;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** What shutdown needs to know of the server: requests in flight, and whether it is draining. */
public final class ServerState {
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicBoolean draining = new AtomicBoolean();

  /** Requests received and not yet answered (or discarded with their connection). */
  public int inFlight() {
    return inFlight.get();
  }

  void requestStarted() {
    inFlight.incrementAndGet();
  }

  void requestFinished() {
    inFlight.decrementAndGet();
  }

  /** Whether shutdown has begun: readiness fails and responses close their connections. */
  public boolean isDraining() {
    return draining.get();
  }

  /** Begins shutdown. */
  public void startDraining() {
    draining.set(true);
  }
}
