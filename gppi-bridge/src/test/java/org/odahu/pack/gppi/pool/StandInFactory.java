package org.odahu.pack.gppi.pool;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.odahu.pack.gppi.runtime.Worker;
import org.odahu.pack.gppi.runtime.WorkerFactory;

/** Starts {@link StandInWorker}s, or fails to start with the exception the test sets. */
final class StandInFactory implements WorkerFactory {
  private final BlockingQueue<StandInWorker> started = new LinkedBlockingQueue<>();
  private final List<StandInWorker> all = new CopyOnWriteArrayList<>();
  private final AtomicInteger starts = new AtomicInteger();
  private volatile StandInWorker.Behaviour behaviour;
  private volatile RuntimeException startFailure;
  private final AtomicInteger failuresLeft = new AtomicInteger();

  StandInFactory(StandInWorker.Behaviour behaviour) {
    this.behaviour = behaviour;
  }

  /** Workers started from now on answer this way. */
  void behave(StandInWorker.Behaviour behaviour) {
    this.behaviour = behaviour;
  }

  /** Starts fail with {@code failure} from now on. */
  void failStarts(RuntimeException failure) {
    failStarts(failure, Integer.MAX_VALUE);
  }

  /** The next {@code count} starts fail with {@code failure}. */
  void failStarts(RuntimeException failure, int count) {
    this.startFailure = failure;
    failuresLeft.set(count);
  }

  int starts() {
    return starts.get();
  }

  @Override
  public Worker start(int id) {
    int start = starts.incrementAndGet();
    if (failuresLeft.getAndUpdate(left -> left == Integer.MAX_VALUE ? left : left - 1) > 0) {
      throw startFailure;
    }
    StandInWorker worker = new StandInWorker("worker-" + id + " (start " + start + ")", behaviour);
    started.add(worker);
    all.add(worker);
    return worker;
  }

  /** Every worker started, oldest first. */
  List<StandInWorker> all() {
    return List.copyOf(all);
  }

  /** The next worker started, waiting for it. */
  StandInWorker next() throws InterruptedException {
    StandInWorker worker = started.poll(10, TimeUnit.SECONDS);
    assertNotNull(worker, "no worker started");
    return worker;
  }
}
