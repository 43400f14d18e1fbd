package org.odahu.pack.gppi.cpython;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.odahu.pack.artifact.files.ExitCleanup;
import org.odahu.pack.gppi.runtime.WorkerScript;

/**
 * One CPython worker started before the program knows that it needs it. Importing a model takes
 * Python a second or more, and a server's JVM spends most of a second on its command line and its
 * HTTP side before its pool starts a worker. A server's entry point therefore predicts, from its
 * arguments alone, the worker its pool will start, and starts that process at once, in parallel.
 *
 * <p>The first worker the {@link CPythonWorkerFactory} of the backend options holding it ({@link
 * org.odahu.pack.gppi.BackendOptions#earlyWorker()}) starts takes that process over if, and only
 * if, its {@link WorkerLaunch} equals the predicted one; otherwise the early process is killed and
 * the worker starts as usual. A wrong prediction therefore costs only the CPU the early process
 * used, never a different worker. After the first claim no early worker can start any more, so one
 * that would arrive too late is never started at all. An early process nobody claimed is killed
 * when the JVM exits.
 */
public final class EarlyWorker {
  private static final Object CLOSED = new Object();

  /** None: {@link #claim} finds nothing and {@link #start} starts nothing. */
  public static final EarlyWorker NONE = new EarlyWorker(CLOSED);

  /** {@code null} before anything happened, a future of the early process, or {@link #CLOSED}. */
  private final AtomicReference<Object> state;

  /** One that {@link #start} may start, for the factory of the backend options it is given to. */
  public EarlyWorker() {
    this(null);
  }

  private EarlyWorker(Object state) {
    this.state = new AtomicReference<>(state);
  }

  /**
   * An early worker whose process {@link #start} starts on a thread of its own, so that the
   * prediction (which reads the model's manifest) and the process's start run beside the caller's.
   */
  public static EarlyWorker startInBackground(Supplier<WorkerLaunch> prediction) {
    EarlyWorker early = new EarlyWorker();
    Thread.ofPlatform().daemon().name("odahu-early-worker").start(() -> early.start(prediction));
    return early;
  }

  private record Started(WorkerLaunch launch, Process process, AtomicBoolean claimed) {
    void kill() {
      if (claimed.compareAndSet(false, true)) {
        process.destroyForcibly();
      }
    }
  }

  /**
   * Starts the worker {@code prediction} describes, on the calling thread, unless a worker was
   * claimed already. Anything that goes wrong (no prediction, an exception, an interpreter that
   * does not exist) means no early worker: the pool's own start reports the problem.
   *
   * @param prediction the launch the pool will most likely use, or {@code null} for none
   * @return whether an early worker is running now
   */
  public boolean start(Supplier<WorkerLaunch> prediction) {
    CompletableFuture<Started> future = new CompletableFuture<>();
    if (!state.compareAndSet(null, future)) {
      return false;
    }
    Started started = null;
    try {
      WorkerLaunch launch = prediction.get();
      if (launch != null) {
        started = spawn(launch);
      }
    } catch (RuntimeException | IOException e) {
      // Only an optimisation: the pool starts its worker itself and reports what is wrong.
    } finally {
      future.complete(started);
    }
    return started != null;
  }

  private static Started spawn(WorkerLaunch launch) throws IOException {
    ExitCleanup cleanup = ExitCleanup.atExit();
    // Never closed: the process may run the script's copy until the JVM exits.
    WorkerScript script = WorkerScript.extract(cleanup);
    // Started and registered in one step: a JVM that exits meanwhile kills it all the same.
    return cleanup.create(
        "early Python worker",
        () ->
            new Started(launch, launch.processBuilder(script.file()).start(), new AtomicBoolean()),
        started -> started::kill);
  }

  /**
   * The early process if it was started for exactly {@code launch}, claimed for good; else {@code
   * null}, after killing an early process of another launch. Waits while the prediction is still
   * being made. Every call after the first returns {@code null}.
   */
  Process claim(WorkerLaunch launch) {
    if (!(state.getAndSet(CLOSED) instanceof CompletableFuture<?> future)) {
      return null;
    }
    if (!(future.join() instanceof Started started)) {
      return null;
    }
    if (started.launch().equals(launch) && started.claimed().compareAndSet(false, true)) {
      return started.process();
    }
    started.kill();
    return null;
  }
}
