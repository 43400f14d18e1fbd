package org.odahu.pack.cli.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.odahu.pack.packager.MemoryBudget;

/**
 * {@code --format job}: a Kubernetes Indexed Job that runs a docker-cli image's {@code predict}
 * over the shards of one input file, pod {@code I} (its {@code JOB_COMPLETION_INDEX}) predicting
 * shard {@code I} of {@code completions} into {@code results-I-of-N.<ext>}. A failed shard is
 * retried alone ({@code backoffLimitPerIndex}) and the pods pass Pod Security {@code restricted}.
 */
final class JobManifests implements ManifestFormat {
  static final String DATA_VOLUME = "data";

  @Override
  public String name() {
    return "job";
  }

  @Override
  public String description() {
    return "Indexed Job running a docker-cli image's predict over the input's shards";
  }

  @Override
  public Set<String> options() {
    return Set.of(
        "--image",
        "--workers",
        "--cpu",
        "--memory",
        "--service-account",
        "--image-pull-secret",
        "--input",
        "--output-dir",
        "--completions",
        "--parallelism",
        "--backoff-limit-per-index",
        "--volume-claim",
        "--mount-path");
  }

  @Override
  public String unusedOptionHint(String option) {
    return switch (option) {
      case "--timeout" ->
          "predict's own --timeout (a chunk's longest model call) goes after --, e.g. --"
              + " --timeout 600";
      case "--port", "--replicas", "--max-replicas", "--concurrency" ->
          "the Job's pods serve nothing; --completions and --parallelism size it";
      default -> "";
    };
  }

  @Override
  public List<HasMetadata> resources(DeploymentRequest request) {
    BatchJob job = request.batch();
    if (job == null) {
      throw new IllegalArgumentException("--format job needs --input, --output-dir, --completions");
    }
    return List.of(job(request, job));
  }

  /** Each pod's hostname is {@code <name>-<index>}, which must be a DNS label. */
  @Override
  public List<String> problems(DeploymentRequest request) {
    BatchJob job = request.batch();
    int longest = 63 - 1 - Integer.toString(job == null ? 0 : job.completions() - 1).length();
    return request.name().length() > longest
        ? List.of(
            "--name (default: the image's name) must be at most "
                + longest
                + " characters for this Job: its pods are named <name>-<index>, got '"
                + request.name()
                + "'")
        : List.of();
  }

  /**
   * Pods running at the same time share the claim: with one that only one node can attach
   * (ReadWriteOnce, the default of most clouds' disk classes), the pods placed on other nodes wait.
   */
  @Override
  public List<String> warnings(DeploymentRequest request) {
    BatchJob job = request.batch();
    return job != null && job.parallelism() > 1
        ? List.of(
            "the Job's "
                + job.parallelism()
                + " pods at a time share the claim '"
                + job.volumeClaim()
                + "': unless its access mode is ReadWriteMany (NFS, CephFS, EFS, Filestore, Azure"
                + " Files), pods on other nodes than the first wait for it (Multi-Attach error) and"
                + " the shards run one node at a time")
        : List.of();
  }

  /**
   * Not {@code app.kubernetes.io/name}, which the server manifests select their pods by: a Job and
   * a server of the same {@code --name} would have the Service send requests to the batch pods, and
   * the autoscaler and disruption budget count them.
   */
  private static Map<String, String> labels(DeploymentRequest request) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("app.kubernetes.io/instance", request.name());
    labels.put("app.kubernetes.io/component", "batch-prediction");
    labels.put("app.kubernetes.io/managed-by", "odahu-pack");
    return labels;
  }

  private static Job job(DeploymentRequest request, BatchJob job) {
    List<Volume> volumes = new ArrayList<>(List.of(ModelPod.tmpVolume()));
    if (job.volumeClaim() != null) {
      volumes.add(
          new VolumeBuilder()
              .withName(DATA_VOLUME)
              .withNewPersistentVolumeClaim()
              .withClaimName(job.volumeClaim())
              .endPersistentVolumeClaim()
              .build());
    }
    return new JobBuilder()
        .withNewMetadata()
        .withName(request.name())
        .withLabels(labels(request))
        .endMetadata()
        .withNewSpec()
        .withCompletionMode("Indexed")
        .withCompletions(job.completions())
        .withParallelism(job.parallelism())
        // Per index, not for the whole Job: one bad shard does not use up the others' retries.
        .withBackoffLimitPerIndex(job.backoffLimitPerIndex())
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(labels(request))
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .withServiceAccountName(request.serviceAccount())
        .withImagePullSecrets(ModelPod.pullSecrets(request))
        .withAutomountServiceAccountToken(false)
        .withSecurityContext(ModelPod.podSecurity())
        .withContainers(container(request, job))
        .withVolumes(volumes)
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private static Container container(DeploymentRequest request, BatchJob job) {
    Map<String, Quantity> resources = new LinkedHashMap<>();
    resources.put("cpu", request.cpu());
    resources.put("memory", request.memory());
    List<VolumeMount> mounts = new ArrayList<>();
    mounts.add(
        new VolumeMountBuilder().withName(ModelPod.TMP_VOLUME).withMountPath("/tmp").build());
    if (job.volumeClaim() != null) {
      mounts.add(
          new VolumeMountBuilder().withName(DATA_VOLUME).withMountPath(job.mountPath()).build());
    }
    return new ContainerBuilder()
        .withName("predict")
        .withImage(request.image())
        // The image's entrypoint is ODAHU's invoke; the shard comes from JOB_COMPLETION_INDEX
        // (set by Kubernetes) of ODAHU_SHARDS.
        .withArgs(predictArgs(job))
        .withEnv(
            new EnvVar("ODAHU_WORKERS", Integer.toString(request.workers()), null),
            new EnvVar("ODAHU_SHARDS", Integer.toString(job.completions()), null),
            new EnvVar("JDK_JAVA_OPTIONS", MemoryBudget.heapOption(request.workers()), null))
        .withNewResources()
        .withRequests(resources)
        .withLimits(resources)
        .endResources()
        .withSecurityContext(ModelPod.containerSecurity())
        .withVolumeMounts(mounts)
        .build();
  }

  private static List<String> predictArgs(BatchJob job) {
    List<String> args = new ArrayList<>(List.of("predict", job.input(), job.outputDir()));
    args.addAll(job.predictOptions());
    return args;
  }
}
