package org.odahu.pack.batch;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import org.odahu.pack.artifact.ModelArtifact;
import org.odahu.pack.artifact.files.ExitCleanup;
import org.odahu.pack.commandline.Converters;
import org.odahu.pack.commandline.Logging;
import org.odahu.pack.gppi.BackendOptions;
import org.odahu.pack.gppi.SelfCheckReport;
import org.odahu.pack.gppi.cpython.EarlyWorker;
import org.odahu.pack.logging.LogFormat;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code invoke}: the entrypoint of docker-cli images, with ODAHU's arguments and output: {@code
 * invoke [-v] [--entrypoint MOD] [--model DIR] {self_check | predict INPUT OUTPUT_DIR
 * [--output_file_name NAME] | info}}, and {@code predict}'s own {@link BatchOptions}.
 */
@Command(
    name = "invoke",
    description = "Run the packaged GPPI model on files (ODAHU's docker-cli entrypoint).",
    mixinStandardHelpOptions = true,
    subcommands = {
      InvokeCommand.Predict.class,
      InvokeCommand.ShowInfo.class,
      InvokeCommand.SelfCheck.class
    })
public final class InvokeCommand implements Callable<Integer> {

  // Also after the subcommand (predict ... -v), where ODAHU's click group did not take it.
  @Option(
      names = {"-v", "--verbose"},
      scope = CommandLine.ScopeType.INHERIT,
      description = "Debug logging.")
  boolean verbose;

  @Option(
      names = "--entrypoint",
      defaultValue = "${env:MODEL_ENTRYPOINT:-entrypoint}",
      description =
          "GPPI module (default ${DEFAULT-VALUE}; env MODEL_ENTRYPOINT, else entrypoint).")
  String entrypoint;

  @Option(
      names = "--model",
      defaultValue = "${env:MODEL_LOCATION:-.}",
      description = "Model directory (default ${DEFAULT-VALUE}; env MODEL_LOCATION, else .).")
  Path model;

  @Option(
      names = "--python",
      defaultValue = "${env:ODAHU_PYTHON:-" + BackendOptions.DEFAULT_PYTHON + "}",
      description =
          "Python interpreter (default ${DEFAULT-VALUE}; env ODAHU_PYTHON, else "
              + BackendOptions.DEFAULT_PYTHON
              + ").")
  Path python;

  @Option(
      names = Logging.FORMAT_OPTION,
      converter = Converters.LogFormatName.class,
      defaultValue = "${env:ODAHU_LOG_FORMAT:-text}",
      paramLabel = "FORMAT",
      description =
          "Logs on stderr as text, or json: one JSON object per line (default ${DEFAULT-VALUE};"
              + " env ODAHU_LOG_FORMAT).")
  LogFormat logFormat;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** The model's first worker, if {@link InvokeMain} started it before parsing. */
  private final EarlyWorker earlyWorker;

  public InvokeCommand() {
    this(EarlyWorker.NONE);
  }

  InvokeCommand(EarlyWorker earlyWorker) {
    this.earlyWorker = earlyWorker;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  BatchRunner runner() {
    return runner(UnaryOperator.identity(), ExitCleanup.manual());
  }

  /**
   * A runner of the model, its backend options the batch defaults as {@code batch} changes them.
   */
  BatchRunner runner(UnaryOperator<BackendOptions.Builder> batch, ExitCleanup cleanup) {
    return new BatchRunner(artifact(), options(batch), cleanup);
  }

  /** The model, as ODAHU's batch CLI finds it. */
  ModelArtifact artifact() {
    return ModelArtifact.ofWorkDir(
        model, entrypoint, System.getenv("ODAHU_MODEL_NAME"), System.getenv("ODAHU_MODEL_VERSION"));
  }

  /** The batch defaults as {@code batch} changes them, with the early worker if there is one. */
  BackendOptions options(UnaryOperator<BackendOptions.Builder> batch) {
    return batch.apply(BatchRunner.defaults().python(python).earlyWorker(earlyWorker)).build();
  }

  /** {@code predict INPUT_FILE OUTPUT_DIR [--output_file_name NAME] [batch options]}. */
  @Command(
      name = "predict",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Predict a file, in chunks of rows on parallel workers.",
        "ODAHU's JSON ({\"columns\": ..., \"data\": ...}), JSON Lines or CSV; optionally one"
            + " shard of it."
      })
  static final class Predict implements Callable<Integer> {
    @ParentCommand InvokeCommand parent;

    @Parameters(index = "0", paramLabel = "INPUT_FILE")
    Path input;

    @Parameters(index = "1", paramLabel = "OUTPUT_DIR")
    Path outputDir;

    @Option(
        names = "--output_file_name",
        paramLabel = "NAME",
        description = "Result file name (default results.<output format>).")
    String fileName;

    @Mixin BatchOptions batch;

    @Override
    public Integer call() {
      BatchRequest request = batch.request(input, outputDir, fileName);
      PrintWriter out = parent.spec.commandLine().getOut();
      try (ExitCleanup cleanup = ExitCleanup.atExit();
          BatchRunner runner = parent.runner(options -> batch.applyTo(options, request), cleanup)) {
        BatchResult result =
            runner.predict(request, batch.listener(parent.spec.commandLine().getErr()));
        if (!result.nonePredicted()) {
          out.println("Prediction is successful. Result file: " + result.output());
        }
        return result.report(out, parent.spec.commandLine().getErr());
      }
    }
  }

  /** {@code info}: the model's input and output schema. */
  @Command(
      name = "info",
      mixinStandardHelpOptions = true,
      description = "Print the model's input and output schema.")
  static final class ShowInfo implements Callable<Integer> {
    @ParentCommand InvokeCommand parent;

    @Override
    public Integer call() {
      try (BatchRunner runner = parent.runner()) {
        var out = parent.spec.commandLine().getOut();
        out.print(runner.info());
        out.flush();
      }
      return 0;
    }
  }

  /** {@code self_check}: import, init(), info() and a prediction on head_input.pkl. */
  @Command(
      name = "self_check",
      mixinStandardHelpOptions = true,
      description = "Run the GPPI self-check.")
  static final class SelfCheck implements Callable<Integer> {
    @ParentCommand InvokeCommand parent;

    @Override
    public Integer call() {
      try (BatchRunner runner = parent.runner()) {
        SelfCheckReport report = runner.selfCheck();
        parent.spec.commandLine().getOut().println("Self-check is successful" + describe(report));
      }
      return 0;
    }

    private static String describe(SelfCheckReport report) {
      return report.predictedRows() < 0
          ? ""
          : " (head_input.pkl: " + report.predictedRows() + " rows predicted)";
    }
  }
}
