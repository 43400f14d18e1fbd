package org.odahu.pack.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.odahu.pack.packager.MemoryBudget;

/** {@code deploy manifests --format job}: the Indexed Job parsed back from YAML, field by field. */
class JobManifestTest {
  private static final String IMAGE = "registry.example.com/odahu/wine-cli:1.0";

  /**
   * {@code deploy manifests --format job} of {@link #IMAGE} with an input and output, and {@code
   * extra}.
   */
  private static DeployManifestsTest.Run jobCommand(String... extra) {
    List<String> args = new java.util.ArrayList<>(List.of("--volume-claim", "batch-data"));
    args.addAll(List.of(extra));
    return jobWith("/data/in/requests.jsonl", "/data/out", args.toArray(String[]::new));
  }

  /** {@code deploy manifests --format job} of {@code input} into {@code outputDir}, and more. */
  private static DeployManifestsTest.Run jobWith(String input, String outputDir, String... extra) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "deploy",
                "manifests",
                "--format",
                "job",
                "--image",
                IMAGE,
                "--input",
                input,
                "--output-dir",
                outputDir));
    args.addAll(List.of(extra));
    return DeployManifestsTest.odahuPack(args.toArray(String[]::new));
  }

  private static Job job(String... extra) throws Exception {
    DeployManifestsTest.Run run = jobCommand(extra);
    assertEquals(0, run.status(), run.err());
    Map<String, JsonNode> documents = DeployManifestsTest.documents(run.out());
    assertEquals(List.of("Job"), List.copyOf(documents.keySet()));
    JsonNode node = documents.get("Job");
    assertEquals("batch/v1", node.get("apiVersion").asText());
    return new YAMLMapper().convertValue(node, Job.class);
  }

  private static Map<String, String> env(Container container) {
    return container.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }

  @Test
  void indexedJobPredictsOneShardPerCompletionIndex() throws Exception {
    Job job = job("--completions", "8", "--parallelism", "3", "--workers", "2", "--memory", "1Gi");
    assertEquals("wine-cli", job.getMetadata().getName());
    JobSpec spec = job.getSpec();
    assertEquals("Indexed", spec.getCompletionMode());
    assertEquals(8, spec.getCompletions());
    assertEquals(3, spec.getParallelism());
    assertEquals(BatchJob.DEFAULT_BACKOFF_LIMIT_PER_INDEX, spec.getBackoffLimitPerIndex());

    PodSpec pod = spec.getTemplate().getSpec();
    assertEquals("Never", pod.getRestartPolicy(), "backoffLimitPerIndex needs Never");
    assertEquals(false, pod.getAutomountServiceAccountToken());
    Container container = pod.getContainers().get(0);
    assertEquals(IMAGE, container.getImage());
    assertEquals(List.of("predict", "/data/in/requests.jsonl", "/data/out"), container.getArgs());
    Map<String, String> env = env(container);
    assertEquals("8", env.get("ODAHU_SHARDS"), "the shard count BatchOptions reads");
    assertEquals("2", env.get("ODAHU_WORKERS"));
    assertEquals(MemoryBudget.heapOption(2), env.get("JDK_JAVA_OPTIONS"));
    Map<String, Quantity> limits = container.getResources().getLimits();
    assertEquals(new Quantity("2"), limits.get("cpu"));
    assertEquals(new Quantity("1Gi"), limits.get("memory"));
    assertEquals(limits, container.getResources().getRequests(), "Guaranteed QoS");

    Volume data =
        pod.getVolumes().stream().filter(v -> v.getName().equals("data")).findFirst().orElseThrow();
    assertEquals("batch-data", data.getPersistentVolumeClaim().getClaimName());
    VolumeMount mount =
        container.getVolumeMounts().stream()
            .filter(m -> m.getName().equals("data"))
            .findFirst()
            .orElseThrow();
    assertEquals("/data", mount.getMountPath());
    List<Volume> emptyDirs =
        pod.getVolumes().stream().filter(v -> !v.getName().equals("data")).toList();
    RestrictedPodSecurity.check(pod.getSecurityContext(), container, emptyDirs);
  }

  @Test
  void aServerOfTheSameNameSelectsNoneOfTheJobsPods() throws Exception {
    Map<String, String> podLabels = job().getSpec().getTemplate().getMetadata().getLabels();
    assertEquals("wine-cli", podLabels.get("app.kubernetes.io/instance"));
    DeployManifestsTest.Run server =
        DeployManifestsTest.odahuPack(
            "deploy", "manifests", "--image", IMAGE, "--name", "wine-cli");
    assertEquals(0, server.status(), server.err());
    JsonNode selector =
        DeployManifestsTest.documents(server.out())
            .get("Deployment")
            .at("/spec/selector/matchLabels");
    assertFalse(selector.isEmpty());
    boolean selected = true;
    for (var label : selector.properties()) {
      selected &= label.getValue().asText().equals(podLabels.get(label.getKey()));
    }
    assertFalse(selected, selector + " selects " + podLabels);
  }

  @Test
  void defaultsRunEveryShardAtOnce() throws Exception {
    JobSpec spec = job().getSpec();
    assertEquals(1, spec.getCompletions());
    assertEquals(1, spec.getParallelism());
    PodSpec pod = spec.getTemplate().getSpec();
    assertEquals(List.of("tmp", "data"), pod.getVolumes().stream().map(Volume::getName).toList());
    assertNull(pod.getVolumes().get(0).getPersistentVolumeClaim(), "/tmp is an emptyDir");
    assertEquals("batch-data", pod.getVolumes().get(1).getPersistentVolumeClaim().getClaimName());
    assertEquals("1", env(pod.getContainers().get(0)).get("ODAHU_SHARDS"));
  }

  @Test
  void theInputAndResultsMustBeOnTheDataVolume() {
    DeployManifestsTest.Run noVolume = jobWith("/data/in.csv", "/data/out");
    assertEquals(2, noVolume.status());
    assertTrue(noVolume.err().contains("--format job needs --volume-claim NAME"), noVolume.err());
    DeployManifestsTest.Run outside =
        jobCommand("--mount-path", "/data/in", "--", "--on-error", "skip");
    assertEquals(2, outside.status());
    assertTrue(
        outside
            .err()
            .contains(
                "--output-dir must be an absolute path on the data volume (under --mount-path"
                    + " /data/in), got '/data/out'"),
        outside.err());
    assertFalse(outside.err().contains("--input must"), outside.err());
    for (String mount : List.of("/tmp", "/", "/tmp/data")) {
      DeployManifestsTest.Run tmp = jobCommand("--mount-path", mount);
      assertEquals(2, tmp.status(), mount);
      assertTrue(
          tmp.err().contains("--mount-path must not hold or be inside /tmp (the pods' temporary"),
          tmp.err());
    }
    // The claim would hide the image's Java runtime, the model or the system's files.
    for (String[] mount :
        new String[][] {
          {"/opt/odahu-pack", "/opt/odahu-pack"},
          {"/opt", "/opt/odahu-pack"},
          {"/usr/local/data", "/usr"},
          {"/etc", "/etc"},
          {"/app", "/app"}
        }) {
      DeployManifestsTest.Run hiding =
          jobWith(
              mount[0] + "/in.csv",
              mount[0] + "/out",
              "--volume-claim",
              "c",
              "--mount-path",
              mount[0]);
      assertEquals(2, hiding.status(), mount[0]);
      assertTrue(
          hiding
              .err()
              .contains(
                  "--mount-path must not hold or be inside "
                      + mount[1]
                      + " (the pods need the image's own), got '"
                      + mount[0]
                      + "'"),
          hiding.err());
    }
    DeployManifestsTest.Run relative =
        jobWith("data/in.csv", "/data/../etc/out", "--volume-claim", "c");
    assertEquals(2, relative.status());
    assertTrue(
        relative.err().contains("--input must be an absolute path on the data volume"),
        relative.err());
    assertTrue(relative.err().contains("got '/data/../etc/out'"), relative.err());
  }

  @Test
  void claimNamesCompletionsAndASharedClaimAreChecked() {
    DeployManifestsTest.Run badClaim =
        jobWith("/data/in.csv", "/data/out", "--volume-claim", "Batch_Data");
    assertEquals(2, badClaim.status());
    assertTrue(
        badClaim.err().contains("--volume-claim must name a Kubernetes object"), badClaim.err());
    DeployManifestsTest.Run tooMany = jobCommand("--completions", "100001");
    assertEquals(2, tooMany.status());
    assertTrue(
        tooMany
            .err()
            .contains(
                "--completions must be between 1 and 100000 (Kubernetes' limit for an Indexed"
                    + " Job), got 100001"),
        tooMany.err());
    // Pods on several nodes at once need a claim that several nodes can attach.
    DeployManifestsTest.Run most = jobCommand("--completions", "100000");
    assertEquals(0, most.status(), most.err());
    assertTrue(
        most.err()
            .contains(
                "Warning: the Job's 100000 pods at a time share the claim 'batch-data': unless its"
                    + " access mode is ReadWriteMany"),
        most.err());
    DeployManifestsTest.Run oneAtATime = jobCommand("--completions", "8", "--parallelism", "1");
    assertEquals(0, oneAtATime.status(), oneAtATime.err());
    assertFalse(oneAtATime.err().contains("ReadWriteMany"), oneAtATime.err());
  }

  @Test
  void eachPodsNameMustStayADnsLabel() throws Exception {
    String name = "w".repeat(61); // <name>-<index> is 63 characters with one digit
    assertEquals(0, jobCommand("--name", name, "--completions", "10").status());
    DeployManifestsTest.Run tooLong = jobCommand("--name", name, "--completions", "11");
    assertEquals(2, tooLong.status());
    assertTrue(
        tooLong
            .err()
            .contains(
                "--name (default: the image's name) must be at most 60 characters for this Job"),
        tooLong.err());
  }

  @Test
  void mistakesAreUsageErrors() {
    DeployManifestsTest.Run noInput =
        DeployManifestsTest.odahuPack(
            "deploy", "manifests", "--format", "job", "--image", IMAGE, "--completions", "4");
    assertEquals(2, noInput.status());
    assertTrue(noInput.err().contains("--format job needs --input PATH"), noInput.err());
    assertTrue(noInput.err().contains("--format job needs --output-dir PATH"), noInput.err());

    DeployManifestsTest.Run tooParallel = jobCommand("--completions", "2", "--parallelism", "3");
    assertEquals(2, tooParallel.status());
    assertTrue(
        tooParallel.err().contains("--parallelism must be between 1 and --completions (2)"),
        tooParallel.err());
  }

  @Test
  void optionsAfterTheSeparatorGoToEveryPodsPredict() throws Exception {
    Container container =
        job(
                "--completions",
                "3",
                "--",
                "--on-error",
                "skip",
                "--timeout",
                "600",
                "--chunk-rows=500",
                "--output_file_name",
                "wine.jsonl")
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    assertEquals(
        List.of(
            "predict",
            "/data/in/requests.jsonl",
            "/data/out",
            "--on-error",
            "skip",
            "--timeout",
            "600",
            "--chunk-rows=500",
            "--output_file_name",
            "wine.jsonl"),
        container.getArgs());
  }

  @Test
  void optionsForThePodsAreCheckedNow() {
    DeployManifestsTest.Run unknown = jobCommand("--completions", "2", "--", "--on-eror", "skip");
    assertEquals(2, unknown.status());
    assertTrue(unknown.err().contains("after --, predict's options only"), unknown.err());
    assertTrue(unknown.err().contains("--on-eror"), unknown.err());

    DeployManifestsTest.Run badValue = jobCommand("--completions", "2", "--", "--timeout", "5m");
    assertEquals(2, badValue.status());
    assertTrue(badValue.err().contains("--timeout"), badValue.err());

    DeployManifestsTest.Run shard = jobCommand("--completions", "2", "--", "--shard", "0/2");
    assertEquals(2, shard.status());
    assertTrue(shard.err().contains("the Job gives each pod its shard"), shard.err());

    DeployManifestsTest.Run workers = jobCommand("--completions", "2", "--", "--workers", "4");
    assertEquals(2, workers.status());
    assertTrue(
        workers.err().contains("give the pods' workers as deploy manifests' own --workers"),
        workers.err());

    // The server's options, which a Job's pods do not read, are refused rather than dropped.
    DeployManifestsTest.Run timeout = jobCommand("--completions", "2", "--timeout", "600");
    assertEquals(2, timeout.status());
    assertTrue(
        timeout
            .err()
            .startsWith(
                "Error: --timeout is not used by --format job: predict's own --timeout (a chunk's"
                    + " longest model call) goes after --, e.g. -- --timeout 600"),
        timeout.err());
    DeployManifestsTest.Run port = jobCommand("--port", "8080", "--replicas", "2");
    assertEquals(2, port.status());
    assertTrue(
        port.err().startsWith("Error: --port, --replicas are not used by --format job"),
        port.err());

    // A result name predict refuses, or a result over the input, would fail every pod.
    for (String name : List.of("..", "", "x/y")) {
      DeployManifestsTest.Run path = jobCommand("--", "--output_file_name", name);
      assertEquals(2, path.status(), name);
      assertTrue(
          path.err().contains("after --, the --output_file_name must be a file name in OUTPUT_DIR"),
          path.err());
    }
    DeployManifestsTest.Run over =
        jobWith(
            "/data/in.jsonl",
            "/data/",
            "--volume-claim",
            "c",
            "--",
            "--output_file_name",
            "in.jsonl");
    assertEquals(2, over.status());
    assertTrue(
        over.err().contains("shard 0's result would replace the input file /data/in.jsonl"),
        over.err());
    DeployManifestsTest.Run overShard =
        jobWith(
            "/data/out/results-1-of-2.jsonl",
            "/data/out",
            "--volume-claim",
            "c",
            "--completions",
            "2");
    assertEquals(2, overShard.status());
    assertTrue(overShard.err().contains("shard 1's result would replace"), overShard.err());
    // The side file of failed rows, the output directory itself, a file as the directory.
    DeployManifestsTest.Run overSide =
        jobWith(
            "/data/out/results.errors.jsonl",
            "/data/out",
            "--volume-claim",
            "c",
            "--",
            "--on-error",
            "skip");
    assertEquals(2, overSide.status());
    assertTrue(
        overSide
            .err()
            .contains("shard 0's side file of failed rows (--on-error skip) would replace"),
        overSide.err());
    DeployManifestsTest.Run sameAsInput = jobWith("/data/out", "/data/out/", "--volume-claim", "c");
    assertEquals(2, sameAsInput.status());
    assertTrue(
        sameAsInput.err().contains("--input and --output-dir are the same path, /data/out"),
        sameAsInput.err());
    DeployManifestsTest.Run underInput =
        jobWith("/data/in.jsonl", "/data/in.jsonl/out", "--volume-claim", "c");
    assertEquals(2, underInput.status());
    assertTrue(
        underInput
            .err()
            .contains("--output-dir /data/in.jsonl/out is inside --input /data/in.jsonl"),
        underInput.err());
    DeployManifestsTest.Run noParallelismGiven =
        jobWith("/data/in.jsonl", "/data/out", "--volume-claim", "c", "--completions", "0");
    assertEquals(2, noParallelismGiven.status());
    assertFalse(noParallelismGiven.err().contains("--parallelism"), noParallelismGiven.err());
    assertEquals(
        0,
        jobWith(
                "/data/in.jsonl",
                "/data",
                "--volume-claim",
                "c",
                "--",
                "--output_file_name",
                "out.jsonl")
            .status());

    DeployManifestsTest.Run notAJob =
        DeployManifestsTest.odahuPack(
            "deploy", "manifests", "--format", "kubernetes", "--image", IMAGE, "--", "-q");
    assertEquals(2, notAJob.status());
    assertTrue(notAJob.err().contains("are for the pods of --format job"), notAJob.err());
  }
}
