package org.odahu.pack.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.odahu.pack.batch.BatchOptions;
import org.odahu.pack.batch.BatchRequest;
import org.odahu.pack.batch.BatchResult;
import org.odahu.pack.batch.BatchRunner;
import org.odahu.pack.commandline.HelpfulSuggestions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Commands that run a model locally, on the same code path as the server and the images. */
final class LocalModelCommands {
  private LocalModelCommands() {}

  /** {@code predict ARTIFACT INPUT OUTPUT_DIR [-o results.json] [batch options]}. */
  @Command(
      name = "predict",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Predict a file with a model artifact, in chunks of rows on parallel workers.",
        "ODAHU's JSON ({\"columns\": ..., \"data\": ...}), JSON Lines or CSV; optionally one"
            + " shard of it."
      })
  static final class Predict implements Callable<Integer> {
    @Mixin ModelRunOptions model;

    @Parameters(index = "1", paramLabel = "INPUT", description = "Input file.")
    Path input;

    @Parameters(
        index = "2",
        paramLabel = "OUTPUT_DIR",
        description = "Directory of the result file.")
    Path outputDir;

    @Option(
        names = {"-o", "--output-file-name"},
        description = "Result file name (default results.<output format>).")
    String fileName;

    @Mixin BatchOptions batch;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      BatchRequest request = batch.request(input, outputDir, fileName);
      PrintWriter err = spec.commandLine().getErr();
      BatchResult result =
          model.run(
              options -> batch.applyTo(options, request),
              runner -> runner.predict(request, batch.listener(err)));
      if (!result.nonePredicted()) {
        spec.commandLine().getOut().println("Prediction file: " + result.output());
      }
      return result.report(spec.commandLine().getOut(), err);
    }
  }

  /** {@code info ARTIFACT}. */
  @Command(
      name = "info",
      mixinStandardHelpOptions = true,
      description = "Print a model's input and output schema.")
  static final class ShowInfo implements Callable<Integer> {
    @Mixin ModelRunOptions model;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      out.print(model.run(BatchRunner::info));
      out.flush();
      return 0;
    }
  }

  /** {@code gppi test ARTIFACT}: ODAHU's GPPI self-check. */
  @Command(
      name = "gppi",
      mixinStandardHelpOptions = true,
      description = "GPPI tools (like 'odahuflowctl gppi').",
      subcommands = GppiTest.class)
  static final class Gppi extends GroupCommand {}

  /** {@code gppi test ARTIFACT}. */
  @Command(
      name = "test",
      mixinStandardHelpOptions = true,
      description =
          "Self-check a GPPI artifact: import, init(), info() and a prediction on head_input.pkl.")
  static final class GppiTest implements Callable<Integer> {
    @Mixin ModelRunOptions model;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      try {
        model.run(BatchRunner::selfCheck);
      } catch (RuntimeException e) {
        throw new IllegalStateException(
            "Exception raised while invoke model entrypoint. GPPI self-check failed. Fix your model and try again: "
                + HelpfulSuggestions.standard().message(e),
            e);
      }
      spec.commandLine().getOut().println("OK");
      spec.commandLine().getOut().println("GPPI is correct and could be packaged or deployed");
      return 0;
    }
  }
}
