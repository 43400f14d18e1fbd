package org.odahu.pack.batch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.odahu.pack.artifact.ModelArtifact;
import org.odahu.pack.artifact.ModelLocation;
import org.odahu.pack.commandline.Logging;
import org.odahu.pack.gppi.cpython.EarlyWorker;
import org.odahu.pack.gppi.cpython.WorkerLaunch;
import org.odahu.pack.server.EarlyWorkerPrediction;

/**
 * The model's first worker for {@code invoke} (docker-cli images), started while picocli builds and
 * parses the command line: a batch container otherwise spawns its worker ~0.7 s after its JVM
 * starts, and every run of a batch Job pays that again. The guess reads the options {@link
 * InvokeCommand} reads, from the arguments and the environment ({@code MODEL_LOCATION}, {@code
 * MODEL_ENTRYPOINT}, {@code ODAHU_PYTHON}, {@code ODAHU_INPUT_MATRIX}), and resolves the model as
 * {@link ModelArtifact#ofWorkDir} does; a wrong one costs only the early process, which the backend
 * then kills.
 */
final class InvokeEarlyWorker {
  private static final Set<String> COMMANDS = Set.of("predict", "info", "self_check");
  private static final Set<String> WITH_VALUE =
      Set.of("--entrypoint", "--model", "--python", Logging.FORMAT_OPTION);

  /** The options of {@code predict} that take a value in the next argument. */
  static final Set<String> PREDICT_WITH_VALUE =
      Set.of(
          "--output_file_name",
          "--chunk-rows",
          "--workers",
          "--on-error",
          "--timeout",
          "--start-timeout",
          "--input-matrix",
          "--input-format",
          "--output-format",
          "--shard",
          "--shards");

  private InvokeEarlyWorker() {}

  /**
   * An early worker the command's backend options may take over, its process being started on a
   * thread of its own when {@code args} name a command that runs the model; {@link
   * EarlyWorker#NONE} otherwise.
   */
  static EarlyWorker start(String[] args, Map<String, String> environment) {
    if (command(args) < 0) {
      return EarlyWorker.NONE;
    }
    String[] copy = args.clone();
    return EarlyWorker.startInBackground(() -> launch(copy, environment));
  }

  /** The launch of the command's worker, or {@code null} when it is not clear. */
  static WorkerLaunch launch(String[] args, Map<String, String> environment) {
    int command = command(args);
    if (command < 0 || EarlyWorkerPrediction.noModelRuns(args)) {
      return null;
    }
    boolean predict = args[command].equals("predict");
    // predict checks its files before it starts the model: a mistyped input starts nothing.
    if (predict) {
      List<String> files = positional(Arrays.copyOfRange(args, command + 1, args.length));
      if (files.size() != 2 || !Files.isReadable(Path.of(files.getFirst()))) {
        return null;
      }
    }
    String[] global = Arrays.copyOf(args, command);
    Path dir =
        Path.of(
            EarlyWorkerPrediction.option(global, environment, "--model", "MODEL_LOCATION", "."));
    String entrypoint =
        EarlyWorkerPrediction.option(
            global, environment, "--entrypoint", "MODEL_ENTRYPOINT", "entrypoint");
    return ModelLocation.ofWorkDir(dir, entrypoint)
        .map(
            location ->
                new WorkerLaunch(
                    EarlyWorkerPrediction.python(global, environment),
                    location.entrypoint(),
                    location.workDir(),
                    location.root(),
                    BatchRunner.MAX_FRAME_BYTES,
                    // Only predict sends matrices; info and self_check run with the defaults.
                    predict
                        && EarlyWorkerPrediction.ndarray(
                            Arrays.copyOfRange(args, command, args.length), environment),
                    Map.of()))
        .orElse(null);
  }

  /** {@code predict}'s arguments that are not options or their values. */
  private static List<String> positional(String[] args) {
    List<String> positional = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (PREDICT_WITH_VALUE.contains(args[i])) {
        i++;
      } else if (!args[i].startsWith("-")) {
        positional.add(args[i]);
      }
    }
    return positional;
  }

  /** Where the command is, after {@code invoke}'s own options only; -1 if there is none. */
  private static int command(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (COMMANDS.contains(arg)) {
        return i;
      }
      if (WITH_VALUE.contains(arg)) {
        i++;
      } else if (!arg.equals("-v")
          && !arg.equals("--verbose")
          && WITH_VALUE.stream().noneMatch(option -> arg.startsWith(option + "="))) {
        return -1;
      }
    }
    return -1;
  }
}
