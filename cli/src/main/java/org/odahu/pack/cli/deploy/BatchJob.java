package org.odahu.pack.cli.deploy;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@code deploy manifests --format job} adds to a {@link DeploymentRequest}: the file a
 * docker-cli image predicts, cut into shards, one per completion index of a Kubernetes Indexed Job.
 *
 * @param input the input file as the pods see it (e.g. {@code /data/in/requests.jsonl})
 * @param outputDir the directory of the shards' result files as the pods see it
 * @param completions the number of shards, one pod (completion index) each
 * @param parallelism how many shards run at the same time
 * @param backoffLimitPerIndex retries of a failed shard before it counts as failed
 * @param volumeClaim the PersistentVolumeClaim holding the files, or {@code null}: none mounted
 * @param mountPath where the claim is mounted in the pods
 */
public record BatchJob(
    String input,
    String outputDir,
    int completions,
    int parallelism,
    int backoffLimitPerIndex,
    String volumeClaim,
    String mountPath) {

  /** Where the data volume is mounted unless set. */
  public static final String DEFAULT_MOUNT_PATH = "/data";

  /** Retries of one shard unless set: a lost node or an evicted pod costs one retry. */
  public static final int DEFAULT_BACKOFF_LIMIT_PER_INDEX = 2;

  public BatchJob {
    List<String> problems = new ArrayList<>();
    if (input == null || input.isBlank()) {
      problems.add("--format job needs --input PATH (the input file as the pods see it)");
    }
    if (outputDir == null || outputDir.isBlank()) {
      problems.add("--format job needs --output-dir PATH (where the pods write the results)");
    }
    if (completions < 1) {
      problems.add("--completions must be at least 1, got " + completions);
    }
    if (parallelism < 1 || parallelism > completions) {
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
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }
}
