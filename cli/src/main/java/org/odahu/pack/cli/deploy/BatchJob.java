package org.odahu.pack.cli.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.odahu.pack.batch.BatchOptions;
import org.odahu.pack.batch.Shard;
import org.odahu.pack.packager.layout.ImageParts;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What {@code deploy manifests --format job} adds to a {@link DeploymentRequest}: the file a
 * docker-cli image predicts, cut into shards, one per completion index of a Kubernetes Indexed Job.
 *
 * @param input the input file as the pods see it (e.g. {@code /data/in/requests.jsonl})
 * @param outputDir the directory of the shards' result files as the pods see it
 * @param completions the number of shards, one pod (completion index) each
 * @param parallelism how many shards run at the same time
 * @param backoffLimitPerIndex retries of a failed shard before it counts as failed
 * @param volumeClaim the PersistentVolumeClaim holding the files (required)
 * @param mountPath where the claim is mounted in the pods
 * @param predictOptions more options of the pods' {@code predict} (e.g. {@code --on-error skip}),
 *     checked here so that a mistake fails now, not in every pod
 */
public record BatchJob(
    String input,
    String outputDir,
    int completions,
    int parallelism,
    int backoffLimitPerIndex,
    String volumeClaim,
    String mountPath,
    List<String> predictOptions) {

  /** Where the data volume is mounted unless set. */
  public static final String DEFAULT_MOUNT_PATH = "/data";

  /** Retries of one shard unless set: a lost node or an evicted pod costs one retry. */
  public static final int DEFAULT_BACKOFF_LIMIT_PER_INDEX = 2;

  /**
   * The most completions Kubernetes accepts in an Indexed Job with a per-index backoff limit and no
   * {@code maxFailedIndexes} (the API server's {@code validateJobSpec}).
   */
  static final int MAX_COMPLETIONS = 100_000;

  /**
   * What the pods need of their image and system, which the claim must neither hide nor be inside:
   * the pods' temporary emptyDir, odahu-pack's runtime, the model and the system's directories.
   */
  private static final List<String> RESERVED_DIRECTORIES =
      List.of(
          ImageParts.TEMP_DIRECTORY,
          "/opt/odahu-pack",
          "/app",
          "/bin",
          "/dev",
          "/etc",
          "/lib",
          "/lib64",
          "/proc",
          "/sbin",
          "/sys",
          "/usr");

  public BatchJob {
    List<String> problems = new ArrayList<>();
    if (input == null || input.isBlank()) {
      problems.add("--format job needs --input PATH (the input file as the pods see it)");
    }
    if (outputDir == null || outputDir.isBlank()) {
      problems.add("--format job needs --output-dir PATH (where the pods write the results)");
    }
    if (completions < 1 || completions > MAX_COMPLETIONS) {
      problems.add(
          "--completions must be between 1 and "
              + MAX_COMPLETIONS
              + " (Kubernetes' limit for an Indexed Job), got "
              + completions);
    }
    boolean validCompletions = completions >= 1 && completions <= MAX_COMPLETIONS;
    // Checked against valid completions only: it defaults to them, and says nothing new else.
    if (validCompletions && (parallelism < 1 || parallelism > completions)) {
      problems.add(
          "--parallelism must be between 1 and --completions ("
              + completions
              + "), got "
              + parallelism);
    }
    if (backoffLimitPerIndex < 0) {
      problems.add("--backoff-limit-per-index must be at least 0, got " + backoffLimitPerIndex);
    }
    if (mountPath == null || !mountPath.startsWith("/")) {
      problems.add("--mount-path must be an absolute path, got '" + mountPath + "'");
    } else {
      checkPaths(input, outputDir, volumeClaim, Path.of(mountPath).normalize(), problems);
    }
    predictOptions = List.copyOf(predictOptions);
    PredictOptions predict = checkPredictOptions(predictOptions, problems);
    if (input != null && outputDir != null && problems.isEmpty()) {
      checkDistinct(Path.of(input).normalize(), Path.of(outputDir).normalize(), problems);
    }
    if (predict != null && input != null && outputDir != null && problems.isEmpty()) {
      checkInputKept(
          predict, Path.of(input).normalize(), Path.of(outputDir), completions, problems);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  /**
   * The pods' root is read-only and their {@code /tmp} an emptyDir that goes with the pod: the
   * input and the results must be on the data volume.
   */
  private static void checkPaths(
      String input, String outputDir, String volumeClaim, Path mount, List<String> problems) {
    if (volumeClaim == null || volumeClaim.isBlank()) {
      problems.add(
          "--format job needs --volume-claim NAME, the PersistentVolumeClaim holding --input and"
              + " receiving --output-dir (the pods' root is read-only)");
    }
    if (volumeClaim != null
        && !volumeClaim.isBlank()
        && !DeploymentRequest.isDnsSubdomain(volumeClaim)) {
      problems.add(DeploymentRequest.subdomainProblem("--volume-claim", volumeClaim));
    }
    for (String reserved : RESERVED_DIRECTORIES) {
      Path directory = Path.of(reserved);
      if (mount.startsWith(directory) || directory.startsWith(mount)) {
        problems.add(
            "--mount-path must not hold or be inside "
                + directory
                + (directory.toString().equals(ImageParts.TEMP_DIRECTORY)
                    ? " (the pods' temporary emptyDir)"
                    : " (the pods need the image's own)")
                + ", got '"
                + mount
                + "'");
        return;
      }
    }
    for (String[] path : new String[][] {{"--input", input}, {"--output-dir", outputDir}}) {
      if (path[1] != null
          && !path[1].isBlank()
          && !(path[1].startsWith("/") && Path.of(path[1]).normalize().startsWith(mount))) {
        problems.add(
            path[0]
                + " must be an absolute path on the data volume (under --mount-path "
                + mount
                + "), got '"
                + path[1]
                + "'");
      }
    }
  }

  /** The options of the docker-cli image's {@code predict} that a Job may add. */
  @Command(name = "predict")
  private static final class PredictOptions {
    // Filled by picocli: parsing it is the check.
    @Mixin BatchOptions batch;

    // ODAHU's spelling; each pod writes it with its shard in the name (NAME-I-of-N.EXT).
    @Option(names = "--output_file_name")
    String fileName;
  }

  /**
   * Refuses an input that is the output directory or inside it where a result or side file could
   * be, and an output directory that is the input file: every pod would fail.
   */
  private static void checkDistinct(Path input, Path outputDir, List<String> problems) {
    if (input.equals(outputDir)) {
      problems.add(
          "--input and --output-dir are the same path, " + input + ": name the file to read");
    } else if (outputDir.startsWith(input)) {
      problems.add(
          "--output-dir " + outputDir + " is inside --input " + input + ", a file: choose another");
    }
  }

  /** Refuses a Job whose pods would write a result over the input file. */
  private static void checkInputKept(
      PredictOptions predict, Path input, Path outputDir, int completions, List<String> problems) {
    if (!outputDir.normalize().equals(input.getParent())) {
      return;
    }
    String name = predict.batch.resultName(input, predict.fileName);
    String inputName = input.getFileName().toString();
    for (int index = 0; index < completions; index++) {
      List<String> written =
          predict.batch.writtenNames(new Shard(index, completions).fileName(name));
      if (written.contains(inputName)) {
        problems.add(
            "shard "
                + index
                + (written.get(0).equals(inputName)
                    ? "'s result"
                    : "'s side file of failed rows (--on-error skip)")
                + " would replace the input file "
                + input
                + ": choose another --output-dir or --output_file_name");
        return;
      }
    }
  }

  /** The pods' predict options, parsed, or {@code null} after adding their problem. */
  private static PredictOptions checkPredictOptions(List<String> options, List<String> problems) {
    for (String option : options) {
      if (option.equals("--shard")
          || option.startsWith("--shard=")
          || option.startsWith("--shards")) {
        problems.add("the Job gives each pod its shard (--completions): drop " + option);
        return null;
      }
      if (option.equals("--workers") || option.startsWith("--workers=")) {
        // The pods' CPU, memory and heap are sized from the workers: one given here would not be.
        problems.add(
            "give the pods' workers as deploy manifests' own --workers (before --), which sizes"
                + " their CPU and memory: drop "
                + option
                + " after --");
        return null;
      }
    }
    PredictOptions predict = new PredictOptions();
    try {
      new CommandLine(predict).parseArgs(options.toArray(String[]::new));
    } catch (CommandLine.ParameterException e) {
      problems.add("after --, predict's options only: " + e.getMessage());
      return null;
    }
    String badName = BatchOptions.fileNameProblem(predict.fileName);
    if (badName != null) {
      problems.add("after --, " + badName.replace("result file's name", "--output_file_name"));
      return null;
    }
    return predict;
  }
}
