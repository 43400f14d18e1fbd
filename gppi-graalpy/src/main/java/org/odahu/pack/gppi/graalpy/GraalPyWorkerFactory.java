package org.odahu.pack.gppi.graalpy;

import java.time.Duration;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;
import org.odahu.pack.artifact.ModelArtifact;
import org.odahu.pack.gppi.BackendOptions;
import org.odahu.pack.gppi.ModelStartupException;
import org.odahu.pack.gppi.runtime.Frames;
import org.odahu.pack.gppi.runtime.ModelOutputLog;
import org.odahu.pack.gppi.runtime.OutputLimit;
import org.odahu.pack.gppi.runtime.StartWatchdog;
import org.odahu.pack.gppi.runtime.WireMessages;
import org.odahu.pack.gppi.runtime.Worker;
import org.odahu.pack.gppi.runtime.WorkerFactory;
import org.odahu.pack.gppi.runtime.WorkerScript;

/**
 * Starts GraalPy workers: one polyglot context per worker, sharing one engine, each importing the
 * same {@code gppi_worker.py} the CPython workers run. Pure-Python models only: numpy and other
 * native extensions cannot be loaded here.
 */
final class GraalPyWorkerFactory implements WorkerFactory {
  private static final String MISSING_MODULE_NOTE =
      "The GraalPy runtime runs pure-Python models only (numpy, pandas and scikit-learn cannot be"
          + " imported here).";

  /** For a module the model imports while predicting, whose error gets no start-up hint. */
  private static final String LATE_MISSING_MODULE_NOTE =
      MISSING_MODULE_NOTE + " Serve this model with the CPython runtime (--runtime cpython).";

  /** How long closing the factory waits for workers' contexts before closing the engine. */
  private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

  private final ModelArtifact artifact;
  private final BackendOptions options;
  private final WorkerScript script;
  private final ModelOutputLog engineOutput;
  private final Engine engine;
  private final ContextClosings closings = new ContextClosings();

  GraalPyWorkerFactory(ModelArtifact artifact, BackendOptions options) {
    this.artifact = artifact;
    this.options = options;
    this.engineOutput = new ModelOutputLog("graalpy", OutputLimit.DEFAULT, options.listener());
    this.engine =
        Engine.newBuilder("python")
            .option("engine.WarnInterpreterOnly", "false")
            .out(engineOutput)
            .err(engineOutput)
            .build();
    this.script = WorkerScript.extract(artifact.cleanup());
  }

  @Override
  public Worker start(int id) {
    String name = "graalpy-worker-" + id;
    ModelOutputLog output = new ModelOutputLog(name, OutputLimit.DEFAULT, options.listener());
    Context context =
        Context.newBuilder("python")
            .engine(engine)
            .allowIO(IOAccess.ALL)
            // Models may start threads (GraalPy has a GIL); cancelling the context stops them too.
            .allowCreateThread(true)
            .currentWorkingDirectory(artifact.root())
            // The process's variables, as a CPython worker has them: models read their settings
            // from the image's or the pod's environment.
            .allowEnvironmentAccess(EnvironmentAccess.INHERIT)
            .environment("MODEL_LOCATION", artifact.workDir().toString())
            .environment(options.environment())
            .out(output)
            .err(output)
            .build();
    StartWatchdog watchdog = StartWatchdog.arm(options.startTimeout(), () -> context.close(true));
    try {
      Value module = importWorkerScript(context);
      Value started =
          module
              .getMember("embedded_start")
              .execute(
                  artifact.manifest().model().entrypoint(),
                  artifact.workDir().toString(),
                  LATE_MISSING_MODULE_NOTE);
      watchdog.disarm();
      byte[] payload = GraalPyWorker.bytes(started.getArrayElement(1));
      if (started.getArrayElement(0).asInt() != Frames.HELLO) {
        context.close(true);
        output.close();
        throw WireMessages.startupFailure(
            payload, artifact, BackendOptions.GRAALPY, MISSING_MODULE_NOTE);
      }
      WireMessages.checkHello(payload);
      return new GraalPyWorker(
          context, module.getMember("handle"), started.getArrayElement(2), name, output, closings);
    } catch (PolyglotException | IllegalStateException e) {
      boolean timedOut = watchdog.disarm();
      context.close(true);
      output.close();
      throw loadFailure(e, timedOut);
    }
  }

  private Value importWorkerScript(Context context) {
    context.eval("python", "import sys");
    context
        .getBindings("python")
        .getMember("sys")
        .getMember("path")
        .invokeMember("insert", 0, script.directory().toString());
    return context.eval("python", "import " + WorkerScript.MODULE + "\n" + WorkerScript.MODULE);
  }

  private ModelStartupException loadFailure(RuntimeException e, boolean timedOut) {
    if (timedOut) {
      return new ModelStartupException(
          "The model did not finish importing and init() within "
              + options.startTimeout().toSeconds()
              + " s in GraalPy",
          "");
    }
    String why =
        e instanceof PolyglotException polyglot && polyglot.isExit()
            ? GraalPyWorker.failure(polyglot)
            : e.getMessage();
    return new ModelStartupException("GraalPy failed to load the model: " + why, e);
  }

  @Override
  public void close() {
    // Closing the engine would wait for a context whose guest code ignores its cancellation.
    if (closings.await(CLOSE_GRACE)) {
      engine.close(true);
    } else {
      closings.start("graalpy-engine-close", () -> engine.close(true));
    }
    engineOutput.close();
    script.close();
  }
}
