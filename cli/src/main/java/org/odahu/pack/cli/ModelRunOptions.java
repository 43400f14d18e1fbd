package org.odahu.pack.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.odahu.pack.artifact.ModelArtifact;
import org.odahu.pack.artifact.files.ExitCleanup;
import org.odahu.pack.batch.BatchRunner;
import org.odahu.pack.commandline.Converters;
import org.odahu.pack.gppi.BackendOptions;
import org.odahu.pack.gppi.cpython.EarlyWorker;
import org.odahu.pack.server.WorkerEnvironment;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The model a local command runs: the artifact, the interpreter and the runtime. */
final class ModelRunOptions {
  private final EarlyWorker earlyWorker;

  ModelRunOptions() {
    this(EarlyWorker.NONE);
  }

  /** Options whose first worker takes over {@code earlyWorker}'s process when it fits. */
  ModelRunOptions(EarlyWorker earlyWorker) {
    this.earlyWorker = earlyWorker;
  }

  @Parameters(
      index = "0",
      paramLabel = "ARTIFACT",
      description = "Model artifact: a directory, an ODAHU .zip (gzip tarball), a tar or a ZIP.")
  Path artifact;

  @Option(
      names = "--python",
      defaultValue = "${env:ODAHU_PYTHON:-" + BackendOptions.DEFAULT_PYTHON + "}",
      description =
          "Python interpreter, e.g. a conda env's bin/python (default ${DEFAULT-VALUE}; env ODAHU_PYTHON).")
  Path python;

  @Option(
      names = "--runtime",
      converter = Converters.RuntimeName.class,
      defaultValue = "${env:ODAHU_RUNTIME:-" + BackendOptions.DEFAULT_RUNTIME + "}",
      description =
          "cpython or graalpy (pure-Python models) (default ${DEFAULT-VALUE}; env ODAHU_RUNTIME).")
  String runtime;

  @Option(
      names = "--install-deps",
      description =
          "Install the model's declared Python dependencies (conda.yaml pip list, requirements.txt)"
              + " into a cached environment for --python and run the model with it.")
  boolean installDeps;

  /**
   * Opens the artifact, starts its model in one worker, runs {@code work}, then stops both; their
   * temporary files go however the command ends (signals included).
   */
  <T> T run(Function<BatchRunner, T> work) {
    return run(UnaryOperator.identity(), work);
  }

  /**
   * As {@link #run(Function)}, the backend options the batch defaults as {@code batch} changes them
   * (batch prediction's workers, time limit and input matrix).
   */
  <T> T run(UnaryOperator<BackendOptions.Builder> batch, Function<BatchRunner, T> work) {
    try (ExitCleanup cleanup = ExitCleanup.atExit();
        ModelArtifact opened = ModelArtifact.open(artifact, cleanup);
        BatchRunner runner = new BatchRunner(opened, options(opened, batch), cleanup)) {
      return work.apply(runner);
    }
  }

  /** The backend options for {@code opened}, the batch defaults as {@code batch} changes them. */
  BackendOptions options(ModelArtifact opened, UnaryOperator<BackendOptions.Builder> batch) {
    if (installDeps) {
      WorkerEnvironment.checkRuntime(runtime);
    }
    return batch
        .apply(BatchRunner.defaults())
        .python(python)
        .runtime(runtime)
        .environment(
            installDeps ? LocalDependencies.ofThisProcess().forModel(opened, python) : Map.of())
        .earlyWorker(earlyWorker)
        .build();
  }
}
