package org.odahu.pack.gppi.cpython;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.odahu.pack.artifact.ModelArtifact;
import org.odahu.pack.gppi.BackendOptions;
import org.odahu.pack.gppi.InterpreterNotFoundException;
import org.odahu.pack.gppi.ModelStartupException;
import org.odahu.pack.gppi.runtime.Frames;
import org.odahu.pack.gppi.runtime.ModelOutputLog;
import org.odahu.pack.gppi.runtime.OutputLimit;
import org.odahu.pack.gppi.runtime.Reply;
import org.odahu.pack.gppi.runtime.StartWatchdog;
import org.odahu.pack.gppi.runtime.WireMessages;
import org.odahu.pack.gppi.runtime.Worker;
import org.odahu.pack.gppi.runtime.WorkerDiedException;
import org.odahu.pack.gppi.runtime.WorkerFactory;
import org.odahu.pack.gppi.runtime.WorkerScript;

/**
 * Starts CPython worker processes: {@code python -u gppi_worker.py} with the model's work directory
 * on {@code sys.path}, {@code MODEL_LOCATION} set and the artifact root as working directory. Any
 * interpreter works the same, a conda environment's included.
 */
public final class CPythonWorkerFactory implements WorkerFactory {
  private static final System.Logger LOG = System.getLogger(CPythonWorkerFactory.class.getName());
  // How ProcessBuilder reports the operating system's reason, by JDK: "...: error=2, No such file
  // or directory" or "...: Exec failed, error: 2 (No such file or directory) ".
  private static final Pattern ERRNO =
      Pattern.compile("error(?:=\\d+, (.+?)|: \\d+ \\((.+)\\))\\s*$");

  private final ModelArtifact artifact;
  private final BackendOptions options;
  private final WorkerScript script;
  private final WorkerLaunch launch;
  private final Set<CPythonWorker> starting = ConcurrentHashMap.newKeySet();
  private volatile boolean aborted;

  /** A factory whose first worker may be the options' early one (see {@link EarlyWorker}). */
  public CPythonWorkerFactory(ModelArtifact artifact, BackendOptions options) {
    this.artifact = artifact;
    this.options = options;
    this.script = WorkerScript.extract(artifact.cleanup());
    this.launch = WorkerLaunch.of(artifact, options);
  }

  @Override
  public Worker start(int id) {
    Process process = options.earlyWorker().claim(launch);
    if (process != null) {
      LOG.log(
          Level.DEBUG,
          "worker-{0} takes over the Python process started early, pid {1,number,#}",
          id,
          process.pid());
    } else {
      try {
        process = launch.processBuilder(script.file()).start();
      } catch (IOException e) {
        Path python = options.python();
        throw new InterpreterNotFoundException(
            python,
            InterpreterNotFoundException.notOnPath(python)
                ? InterpreterNotFoundException.NOT_ON_PATH
                : reason(e),
            e);
      }
    }
    String tag = "worker-" + id + " pid " + process.pid();
    OutputPump pump =
        new OutputPump(
            process.getErrorStream(),
            new ModelOutputLog(tag, OutputLimit.DEFAULT, options.listener()));
    Thread.ofPlatform().daemon().name("gppi-" + tag + "-output").start(pump);
    CPythonWorker worker =
        new CPythonWorker(
            process,
            pump,
            options.maxFrameBytes(),
            "worker-" + id + " (pid " + process.pid() + ")");
    starting.add(worker);
    try {
      if (aborted) { // after the add: abortStarts either sees this worker or is seen here
        worker.kill();
      }
      return handshake(worker);
    } finally {
      starting.remove(worker);
    }
  }

  @Override
  public void abortStarts() {
    aborted = true;
    starting.forEach(CPythonWorker::kill);
  }

  /** Waits for the worker to import the model and run {@code init()}, within the start timeout. */
  private CPythonWorker handshake(CPythonWorker worker) {
    StartWatchdog watchdog = StartWatchdog.arm(options.startTimeout(), worker::kill);
    try {
      Reply reply = worker.read();
      watchdog.disarm();
      if (reply.type() == Frames.HELLO) {
        WireMessages.checkHello(reply.payload());
        return worker;
      }
      worker.kill();
      if (reply.type() == Frames.INIT_ERROR) {
        throw WireMessages.startupFailure(
            reply.payload(), artifact, BackendOptions.CPYTHON, missingModuleNote());
      }
      throw new ModelStartupException(
          worker.name() + " sent frame type " + reply.type() + " instead of its greeting", "");
    } catch (WorkerDiedException e) {
      // Its pipe may have closed while the process lives on (a model's import closing inherited
      // descriptors): a failed start leaves no process behind.
      worker.kill();
      if (watchdog.disarm()) {
        throw new ModelStartupException(
            "The model did not finish importing and init() within "
                + options.startTimeout().toSeconds()
                + " s (--start-timeout); "
                + worker.name()
                + " was killed",
            "");
      }
      throw new ModelStartupException(
          "The Python worker exited before the model was ready (" + e.getMessage() + ")",
          "The Python worker exited before the model was ready; the log has its output",
          "");
    } catch (RuntimeException e) {
      worker.kill();
      throw e;
    }
  }

  /** The operating system's reason, e.g. {@code No such file or directory}. */
  private static String reason(IOException e) {
    String message = String.valueOf(e.getMessage());
    Matcher errno = ERRNO.matcher(message);
    if (!errno.find()) {
      return message;
    }
    return errno.group(1) != null ? errno.group(1) : errno.group(2);
  }

  private String missingModuleNote() {
    String conda = artifact.manifest().binaries().condaPath();
    return "The model's dependencies must be installed in the Python that runs it ("
        + options.python()
        + ")"
        + (conda == null ? "" : "; the artifact lists them in " + conda)
        + ".";
  }

  @Override
  public void close() {
    script.close();
  }
}
