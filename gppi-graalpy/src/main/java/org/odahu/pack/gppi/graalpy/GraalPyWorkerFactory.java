package org.odahu.pack.gppi.graalpy;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;
import org.odahu.pack.artifact.ModelArtifact;
import org.odahu.pack.gppi.BackendOptions;
import org.odahu.pack.gppi.ModelStartupException;
import org.odahu.pack.gppi.worker.Frames;
import org.odahu.pack.gppi.worker.StartWatchdog;
import org.odahu.pack.gppi.worker.WireMessages;
import org.odahu.pack.gppi.worker.Worker;
import org.odahu.pack.gppi.worker.WorkerFactory;
import org.odahu.pack.gppi.worker.WorkerScript;

/**
 * Starts GraalPy workers: one polyglot context per worker, sharing one engine, each importing the
 * same {@code gppi_worker.py} the CPython workers run. Pure-Python models only: numpy and other
 * native extensions cannot be loaded here.
 */
final class GraalPyWorkerFactory implements WorkerFactory {
  private static final String MISSING_MODULE_HINT =
      "the GraalPy runtime runs pure-Python models only (numpy, pandas and scikit-learn cannot be"
          + " imported here); serve this model with the CPython runtime (--runtime cpython).";

  private final ModelArtifact artifact;
  private final BackendOptions options;
  private final WorkerScript script;
  private final Engine engine =
      Engine.newBuilder("python")
          .option("engine.WarnInterpreterOnly", "false")
          .out(new LineLogStream("graalpy"))
          .err(new LineLogStream("graalpy"))
          .build();

  GraalPyWorkerFactory(ModelArtifact artifact, BackendOptions options) {
    this.artifact = artifact;
    this.options = options;
    this.script = WorkerScript.extract(artifact.cleanup());
  }

  @Override
  public Worker start(int id) {
    String name = "graalpy-worker-" + id;
    LineLogStream output = new LineLogStream(name);
    Context context =
        Context.newBuilder("python")
            .engine(engine)
            .allowIO(IOAccess.ALL)
            .currentWorkingDirectory(artifact.root())
            .environment("MODEL_LOCATION", artifact.workDir().toString())
            .environment(options.environment())
            .out(output)
            .err(output)
            .build();
    StartWatchdog watchdog = StartWatchdog.arm(options.startTimeout(), () -> context.close(true));
    try {
      context.eval("python", "import sys");
      context
          .getBindings("python")
          .getMember("sys")
          .getMember("path")
          .invokeMember("insert", 0, script.directory().toString());
      Value module =
          context.eval("python", "import " + WorkerScript.MODULE + "\n" + WorkerScript.MODULE);
      Value started =
          module
              .getMember("embedded_start")
              .execute(artifact.manifest().model().entrypoint(), artifact.workDir().toString());
      watchdog.disarm();
      byte[] payload = GraalPyWorker.bytes(started.getArrayElement(1));
      if (started.getArrayElement(0).asInt() != Frames.HELLO) {
        context.close(true);
        throw WireMessages.startupFailure(payload, artifact, MISSING_MODULE_HINT);
      }
      WireMessages.checkHello(payload);
      return new GraalPyWorker(
          context, module.getMember("handle"), started.getArrayElement(2), name);
    } catch (PolyglotException | IllegalStateException e) {
      boolean timedOut = watchdog.disarm();
      context.close(true);
      if (timedOut) {
        throw new ModelStartupException(
            "The model did not finish importing and init() within "
                + options.startTimeout().toSeconds()
                + " s in GraalPy",
            "");
      }
      throw new ModelStartupException("GraalPy failed to load the model: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    engine.close(true);
    script.close();
  }
}
