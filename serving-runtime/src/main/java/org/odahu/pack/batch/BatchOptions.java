package org.odahu.pack.batch;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.odahu.pack.commandline.Converters;
import org.odahu.pack.commandline.InputMatrixOption;
import org.odahu.pack.commandline.Logging;
import org.odahu.pack.gppi.BackendOptions;
import org.odahu.pack.logging.LogFormat;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options of batch prediction that {@code invoke predict} (docker-cli images) and {@code
 * odahu-pack predict} share: chunks, workers, time limit, formats, errors, shards and progress.
 */
public final class BatchOptions {
  @Option(
      names = "--chunk-rows",
      paramLabel = "ROWS",
      defaultValue = "" + BatchRequest.DEFAULT_CHUNK_ROWS,
      converter = Converters.AtLeastOne.class,
      description = "Rows per model call (default ${DEFAULT-VALUE}).")
  int chunkRows;

  @Option(
      names = "--workers",
      paramLabel = "N",
      defaultValue = "${env:ODAHU_WORKERS}",
      converter = Converters.Workers.class,
      description =
          "Python workers predicting chunks in parallel (default: $ODAHU_WORKERS, else the number of"
              + " CPUs; never more than the input can have chunks).")
  Integer workers;

  @Option(
      names = "--on-error",
      paramLabel = "fail|skip",
      defaultValue = "fail",
      converter = PolicyConverter.class,
      description =
          "When the model cannot predict a chunk: fail (default), or skip: write its rows and the"
              + " error to <result>.errors.jsonl and go on.")
  ErrorPolicy onError;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      converter = Converters.PositiveSeconds.class,
      description =
          "Longest one chunk's model call may take before it fails and its worker is restarted"
              + " (default: no limit).")
  Long timeoutSeconds;

  @Option(
      names = "--start-timeout",
      paramLabel = "SECONDS",
      converter = Converters.PositiveSeconds.class,
      description =
          "Longest a worker may take to import the model and run init() (default "
              + BackendOptions.DEFAULT_START_TIMEOUT_SECONDS
              + ").")
  Long startTimeoutSeconds;

  @Mixin InputMatrixOption inputMatrix;

  @Option(
      names = "--input-format",
      paramLabel = "FORMAT",
      converter = FormatConverter.class,
      description = "json (ODAHU's), jsonl or csv (default: by the input's extension, else json).")
  FileFormat inputFormat;

  @Option(
      names = "--output-format",
      paramLabel = "FORMAT",
      converter = FormatConverter.class,
      description = "json, jsonl or csv (default: the input's).")
  FileFormat outputFormat;

  @Option(
      names = "--shard",
      paramLabel = "I/N",
      converter = ShardConverter.class,
      description =
          "Predict only shard I of N (from 0) and write results-I-of-N.<ext> (default: the"
              + " Indexed Job's $JOB_COMPLETION_INDEX of --shards, else the whole input).")
  Shard shard;

  @Option(
      names = "--shards",
      paramLabel = "N",
      converter = Converters.AtLeastOne.class,
      description = "In an Indexed Job: the number of shards (default: $ODAHU_SHARDS).")
  Integer shards;

  @Option(
      names = {"-q", "--quiet"},
      description = "No progress, no summary and no INFO lines on stderr.")
  boolean quiet;

  @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
  CommandLine.Model.CommandSpec mixee;

  /** The environment the shard comes from; tests replace it. */
  Map<String, String> environment = System.getenv();

  /** How often a plain progress line is printed when stderr is not a terminal. */
  static final long PLAIN_PROGRESS_SECONDS = 10;

  /**
   * The workers to start for {@code request}: {@code --workers}, else one per CPU the JVM may use,
   * but no more than the input can have chunks: a file of a few rows starts one worker, not one
   * model import per CPU or per worker asked for.
   */
  private int workers(BatchRequest request) {
    int wanted = workers != null ? workers : Runtime.getRuntime().availableProcessors();
    return (int) Math.min(wanted, request.mostChunks());
  }

  /**
   * {@code options} with what these options choose for {@code request}: workers, time limit and
   * input matrix. With {@code --quiet}, the log from then on keeps only warnings and errors (no
   * {@code worker-1 is ready}), unless {@code --verbose} asked for more.
   */
  public BackendOptions.Builder applyTo(BackendOptions.Builder options, BatchRequest request) {
    if (quiet) {
      Logging.warningsOnly();
    }
    if (timeoutSeconds != null) {
      options.timeout(Duration.ofSeconds(timeoutSeconds));
    }
    if (startTimeoutSeconds != null) {
      options.startTimeout(Duration.ofSeconds(startTimeoutSeconds));
    }
    return options.workers(workers(request)).inputMatrix(inputMatrix.value());
  }

  /**
   * The request for {@code input}, its result in {@code outputDir} named {@code fileName} (or
   * {@code results.<ext>}) with the shard in its name. The files are checked first, so a mistyped
   * path fails before the model starts.
   *
   * @throws UnusableFileException if the input cannot be read or the result cannot be written
   * @throws CommandLine.ParameterException if the options do not go together
   */
  public BatchRequest request(Path input, Path outputDir, String fileName) {
    Shard selected = shard();
    FileFormat in = inputFormat != null ? inputFormat : FileFormat.of(input);
    FileFormat out = outputFormat != null ? outputFormat : in;
    String badName = fileNameProblem(fileName);
    if (badName != null) {
      throw mistake(badName);
    }
    String name = resultName(input, fileName);
    PredictionFiles files = new PredictionFiles(input, outputDir, selected.fileName(name)).check();
    if (onError == ErrorPolicy.SKIP) {
      files.refuseInput(FailedRows.of(files.output()));
    }
    return new BatchRequest(files.input(), in, files.output(), out, selected, chunkRows, onError);
  }

  /**
   * The whole input's result file name: {@code fileName}, else {@code results.<output format>}
   * (before a shard's {@link Shard#fileName}).
   */
  public String resultName(Path input, String fileName) {
    FileFormat out =
        outputFormat != null
            ? outputFormat
            : inputFormat != null ? inputFormat : FileFormat.of(input);
    return fileName != null ? fileName : out.rename(BatchRunner.DEFAULT_OUTPUT);
  }

  /**
   * The names of the files a run writes beside a result named {@code resultName}: it, and with
   * {@code --on-error skip} the side file of failed rows.
   */
  public List<String> writtenNames(String resultName) {
    return onError == ErrorPolicy.SKIP
        ? List.of(resultName, FailedRows.of(Path.of(resultName)).toString())
        : List.of(resultName);
  }

  /**
   * What is wrong with {@code fileName} as the result file's name, or {@code null} (also for none):
   * a path would put the result outside OUTPUT_DIR, or over it.
   */
  public static String fileNameProblem(String fileName) {
    if (fileName != null
        && (fileName.isBlank()
            || fileName.contains("/")
            || fileName.equals(".")
            || fileName.equals(".."))) {
      return "the result file's name must be a file name in OUTPUT_DIR (not empty, no '/', not '.'"
          + " or '..'), got '"
          + fileName
          + "'";
    }
    return null;
  }

  private Shard shard() {
    if (shard != null) {
      if (shards != null) {
        throw mistake("give either --shard I/N or --shards N (with $JOB_COMPLETION_INDEX)");
      }
      return shard;
    }
    try {
      Shard fromJob = Shard.fromEnvironment(environment, shards);
      if (shards != null && fromJob.isWhole() && shards > 1) {
        throw mistake(
            "--shards needs $"
                + Shard.JOB_COMPLETION_INDEX
                + " (an Indexed Job); else give --shard I/N");
      }
      return fromJob;
    } catch (IllegalArgumentException e) {
      throw mistake(e.getMessage());
    }
  }

  private CommandLine.ParameterException mistake(String message) {
    return new CommandLine.ParameterException(mixee.commandLine(), message);
  }

  /** Where progress goes: stderr unless {@code --quiet}. */
  public BatchListener listener(PrintWriter err) {
    long interval = TimeUnit.SECONDS.toNanos(PLAIN_PROGRESS_SECONDS);
    if (quiet) {
      return BatchListener.NONE;
    }
    if (Logging.format(mixee.commandLine()) == LogFormat.JSON) {
      return ProgressPrinter.toLog(interval, System::nanoTime);
    }
    return new ProgressPrinter(err, ProgressPrinter.stderrIsTerminal(), interval, System::nanoTime);
  }

  /** {@code fail} or {@code skip}. */
  static final class PolicyConverter implements CommandLine.ITypeConverter<ErrorPolicy> {
    @Override
    public ErrorPolicy convert(String value) {
      return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
        case "fail" -> ErrorPolicy.FAIL;
        case "skip" -> ErrorPolicy.SKIP;
        default ->
            throw new CommandLine.TypeConversionException(
                "must be fail or skip, got '" + value + "'");
      };
    }
  }

  /** {@code json}, {@code jsonl} or {@code csv}. */
  static final class FormatConverter implements CommandLine.ITypeConverter<FileFormat> {
    @Override
    public FileFormat convert(String value) {
      try {
        return FileFormat.named(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  /** {@code I/N}. */
  static final class ShardConverter implements CommandLine.ITypeConverter<Shard> {
    @Override
    public Shard convert(String value) {
      try {
        return Shard.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
