package org.odahu.pack.gppi.pool;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.odahu.pack.gppi.BackendNotReadyException;
import org.odahu.pack.gppi.InvalidInputException;
import org.odahu.pack.gppi.PredictionTimeoutException;
import org.odahu.pack.gppi.WorkerCrashedException;
import org.odahu.pack.gppi.runtime.Frames;
import org.odahu.pack.gppi.runtime.Reply;
import org.odahu.pack.gppi.runtime.Worker;
import org.odahu.pack.gppi.runtime.WorkerDiedException;

/**
 * A slot's current worker and the one call in flight on it. The slot's thread makes calls; the
 * deadline thread may {@link #expire} an overdue one. Each call is published as a new {@link
 * InFlightCall} and ended by whoever takes it out first: the slot when the worker answers, the
 * deadline thread when it kills the worker. So a deadline check that saw one call can never kill
 * the worker of the next.
 */
final class CallGuard {
  /** Told when the worker is lost: the slot then backs off and starts another. */
  interface LossListener {
    void lost(Worker worker, String reason, boolean countsAsFailure);
  }

  private static final byte[] EMPTY = new byte[0];

  private final AtomicReference<InFlightCall> inFlight = new AtomicReference<>();
  private final PoolClock clock;
  private final Duration timeout;
  private final int maxFrameBytes;
  private final String slotName;
  private final LossListener lossListener;
  private volatile Worker worker;

  /** Whether the deadline thread killed the worker, which may take a while to exit (GraalPy's). */
  private volatile boolean killed;

  /** Why {@link #stop} killed the worker: the calls it ended fail with this, or {@code null}. */
  private volatile BackendNotReadyException stopped;

  /** What came back from the worker, and whether the deadline thread had taken the call. */
  private record Exchange(Reply reply, WorkerDiedException death, boolean overdue) {}

  CallGuard(
      PoolClock clock,
      Duration timeout,
      int maxFrameBytes,
      String slotName,
      LossListener lossListener) {
    this.clock = clock;
    this.timeout = timeout;
    this.maxFrameBytes = maxFrameBytes;
    this.slotName = slotName;
    this.lossListener = lossListener;
  }

  /** Makes {@code started} the worker calls go to. */
  void attach(Worker started) {
    worker = started;
    killed = false;
  }

  /** The worker, or {@code null} once a call or a death has cost it. */
  Worker worker() {
    return worker;
  }

  /**
   * Whether the worker was killed: its call expired (until another is attached), or the pool
   * stopped.
   */
  boolean isKilled() {
    return killed || stopped != null;
  }

  /** Whether there is a worker that has not exited, nor been killed. */
  boolean isAlive() {
    Worker current = worker;
    return current != null && !killed && !hasExited(current);
  }

  static boolean hasExited(Worker worker) {
    return worker.exited().toCompletableFuture().isDone();
  }

  /** Whether a call for callers (not a ping) is running now. */
  boolean isBusy() {
    InFlightCall call = inFlight.get();
    return call != null && !call.isPing();
  }

  /** The call in flight, or {@code null}; for the deadline thread. */
  InFlightCall inFlight() {
    return inFlight.get();
  }

  /**
   * For the deadline thread: kills {@code call}'s worker if {@code call} is still in flight.
   * Returns whether it did.
   */
  boolean expire(InFlightCall call) {
    if (inFlight.compareAndSet(call, null)) {
      killed = true;
      call.worker().kill();
      return true;
    }
    return false;
  }

  /** Ends a ping in flight by killing its worker: when closing, nobody waits for its deadline. */
  void abandonPing() {
    InFlightCall call = inFlight.get();
    if (call != null && call.isPing()) {
      expire(call);
    }
  }

  /**
   * Sends one call for {@code jobs} to the worker under the call timeout, running {@code
   * whileWaiting} once it is on its way (see {@link Worker#call(int, byte[], Runnable)}).
   */
  CallOutcome call(List<? extends Job<?>> jobs, int type, byte[] payload, Runnable whileWaiting) {
    if (payload.length > maxFrameBytes) {
      return CallOutcome.refused(
          new InvalidInputException(
              "The request is "
                  + payload.length
                  + " bytes, more than the model worker accepts ("
                  + maxFrameBytes
                  + " bytes)"));
    }
    Worker current = worker;
    long now = clock.nanoTime();
    jobs.forEach(job -> job.started(now));
    Exchange exchange =
        exchange(
            new InFlightCall(current, jobs, type, now + timeout.toNanos()), payload, whileWaiting);
    if (exchange.overdue()) {
      retire(current, "killed after exceeding the " + timeout.toSeconds() + " s timeout", false);
      if (exchange.reply() != null) {
        return CallOutcome.answered(exchange.reply());
      }
      return CallOutcome.failed(
          new PredictionTimeoutException(
              jobs.get(0).timedOut(timeout.toSeconds())
                  + "; "
                  + current.name()
                  + " was killed and is being replaced"),
          false);
    }
    if (exchange.death() != null && stopped != null) {
      // Killed by stop: the model did nothing wrong, and no worker is left to retry the calls.
      retire(current, "stopped", false);
      return CallOutcome.failed(stopped, false);
    }
    if (exchange.death() != null && exchange.death().isUndelivered()) {
      // Noticed by this call before the exit's own notice: the model never saw it.
      lose(current, "it exited while idle (" + exchange.death().getMessage() + ")", true);
      return CallOutcome.undelivered();
    }
    if (exchange.death() != null) {
      String call = jobs.get(0).call();
      String reason =
          current.name() + " died during " + call + ": " + exchange.death().getMessage();
      lose(current, reason, true);
      return CallOutcome.failed(new WorkerCrashedException(reason, call), true);
    }
    return CallOutcome.answered(exchange.reply());
  }

  /**
   * Checks that the idle worker still answers: a worker that is stopped ({@code SIGSTOP}) or stuck
   * holding its only thread would otherwise look healthy until a request timed out on it. One that
   * does not answer within the call timeout is killed by the deadline thread and replaced. Not
   * sooner: a model's own thread may hold the GIL for seconds (a C call, e.g. a periodic reload),
   * and ODAHU's gunicorn let a worker be silent for its {@code --timeout}, the same option.
   */
  void ping() {
    Worker current = worker;
    long deadline = clock.nanoTime() + timeout.toNanos();
    Exchange exchange =
        exchange(new InFlightCall(current, List.of(), Frames.PING, deadline), EMPTY, () -> {});
    if (exchange.overdue()) {
      retire(
          current,
          "it did not answer a ping within " + span(timeout) + " (stopped or wedged)",
          true);
    } else if (exchange.death() != null) {
      lose(current, "it exited while idle (" + exchange.death().getMessage() + ")", true);
    } else if (exchange.reply().type() != Frames.PONG) {
      protocolBreach(List.of(), exchange.reply());
    }
  }

  /** {@code 60 s}, or {@code 500 ms} for a duration that is not whole seconds. */
  private static String span(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }

  private Exchange exchange(InFlightCall call, byte[] payload, Runnable whileWaiting) {
    inFlight.set(call);
    try {
      Reply reply = call.worker().call(call.frameType(), payload, whileWaiting);
      return new Exchange(reply, null, !inFlight.compareAndSet(call, null));
    } catch (WorkerDiedException e) {
      return new Exchange(null, e, !inFlight.compareAndSet(call, null));
    }
  }

  /** Fails the jobs of a call whose reply made no sense, and drops the worker that sent it. */
  void protocolBreach(List<? extends Job<?>> jobs, Reply reply) {
    Worker current = worker;
    String name = current == null ? slotName : current.name();
    WorkerCrashedException failure =
        new WorkerCrashedException(
            name + " broke the worker protocol (reply type " + reply.type() + ")");
    jobs.forEach(job -> job.fail(failure));
    if (current != null) {
      lose(current, failure.getMessage(), true);
    }
  }

  /** Drops the worker for {@code reason}, e.g. after it died while idle. */
  void lose(Worker lost, String reason, boolean countsAsFailure) {
    lost.kill();
    retire(lost, reason, countsAsFailure);
  }

  /** Drops a worker that whoever {@link #expire expired} its call has already killed. */
  private void retire(Worker lost, String reason, boolean countsAsFailure) {
    worker = null;
    lost.close(Duration.ZERO);
    lossListener.lost(lost, reason, countsAsFailure);
  }

  /** Kills the worker at once, failing a call in progress; from any thread. */
  void kill() {
    Worker current = worker;
    if (current != null) {
      current.kill();
    }
  }

  /**
   * Kills the worker at once, failing the call in progress (and any this guard makes later) with
   * {@code why} rather than as a crash: the pool is stopping, not the model failing. From any
   * thread.
   */
  void stop(BackendNotReadyException why) {
    stopped = why;
    InFlightCall call = inFlight.get();
    if (call != null) {
      // Answered now: a worker may take a while to exit (GraalPy's), and its slot to notice.
      call.jobs().forEach(job -> job.fail(why));
    }
    kill();
  }

  /** Stops the worker, if any, waiting at most {@code grace}. */
  void close(Duration grace) {
    Worker last = worker;
    worker = null;
    if (last != null) {
      last.close(grace);
    }
  }
}
