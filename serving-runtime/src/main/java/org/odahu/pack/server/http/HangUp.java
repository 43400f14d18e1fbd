package org.odahu.pack.server.http;

/**
 * A request's client going away before its answer: the connection closed (a client's timeout, a
 * cancelled call), so nothing that is still to be done for the request can reach anyone. Its
 * service registers what stops that work, such as a prediction waiting for a worker; the edge fires
 * it when the connection ends with the request unanswered. Thread-safe; one action.
 */
public final class HangUp {
  /** For a request that comes through no connection: it never hangs up. */
  public static final HangUp NEVER = new HangUp();

  private Runnable action;
  private boolean hungUp;

  /** Runs {@code stop} once the client hangs up: at once, on this thread, if it has already. */
  public void whenHungUp(Runnable stop) {
    if (this == NEVER) {
      return;
    }
    synchronized (this) {
      if (!hungUp) {
        action = stop;
        return;
      }
    }
    stop.run();
  }

  /** The client went away: runs the registered action, if any, once. */
  void hangUp() {
    Runnable stop;
    synchronized (this) {
      if (hungUp) {
        return;
      }
      hungUp = true;
      stop = action;
      action = null;
    }
    if (stop != null) {
      stop.run();
    }
  }
}
