package org.odahu.pack.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.cli.OdahuPack;
import org.odahu.pack.packager.MemoryBudget;
import picocli.CommandLine;

/** {@code deploy manifests}: each format's YAML parsed back into typed objects, field by field. */
class DeployManifestsTest {
  private static final ObjectMapper YAML = new YAMLMapper();
  private static final String IMAGE = "registry.example.com/odahu/wine:1.0";

  @TempDir Path temp;

  record Run(int status, String out, String err) {}

  static Run odahuPack(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = OdahuPack.commandLine();
    commandLine.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
    return new Run(commandLine.execute(args), out.toString(), err.toString());
  }

  /** The documents of a YAML stream, by kind. */
  static Map<String, JsonNode> documents(String yaml) throws IOException {
    List<JsonNode> documents = YAML.readValues(YAML.createParser(yaml), JsonNode.class).readAll();
    return documents.stream().collect(Collectors.toMap(d -> d.get("kind").asText(), d -> d));
  }

  private static <T> T as(JsonNode node, Class<T> type) {
    return YAML.convertValue(node, type);
  }

  private static Map<String, String> env(Container container) {
    return container.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }

  private static void checkServerContainer(Container container, int workers, String memory) {
    assertEquals(IMAGE, container.getImage());
    Map<String, String> env = env(container);
    assertEquals(Integer.toString(workers), env.get("ODAHU_WORKERS"));
    assertEquals("60", env.get("ODAHU_TIMEOUT"));
    assertEquals("5000", env.get("ODAHU_PORT"));
    assertEquals(MemoryBudget.heapOption(workers), env.get("JDK_JAVA_OPTIONS"));
    assertEquals("0.0.0.0", env.get("ODAHU_HOST"), "whatever host the image was packed with");
    assertEquals(5000, container.getPorts().get(0).getContainerPort());
    Map<String, Quantity> limits = container.getResources().getLimits();
    assertEquals(new Quantity(memory), limits.get("memory"));
    assertEquals(limits, container.getResources().getRequests(), "Guaranteed QoS");
    checkProbe(container.getReadinessProbe(), "/health/ready");
    checkProbe(container.getLivenessProbe(), "/health/live");
  }

  private static void checkProbe(Probe probe, String path) {
    assertEquals(path, probe.getHttpGet().getPath());
    assertEquals(5000, probe.getHttpGet().getPort().getIntVal());
  }

  @Test
  void kubernetes() throws Exception {
    Run run =
        odahuPack("deploy", "manifests", "--image", IMAGE, "--workers", "2", "--replicas", "2");
    assertEquals(0, run.status(), run.err());
    Map<String, JsonNode> documents = documents(run.out());
    assertEquals(
        List.of("Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget"),
        List.copyOf(documents.keySet()).stream().sorted(DeployManifestsTest::byOrder).toList());

    Deployment deployment = as(documents.get("Deployment"), Deployment.class);
    assertEquals("apps/v1", deployment.getApiVersion());
    assertEquals("wine", deployment.getMetadata().getName());
    assertNull(deployment.getSpec().getReplicas(), "the autoscaler's to set");
    Map<String, String> selector = deployment.getSpec().getSelector().getMatchLabels();
    assertEquals(Map.of("app.kubernetes.io/name", "wine"), selector);
    assertTrue(
        deployment
            .getSpec()
            .getTemplate()
            .getMetadata()
            .getLabels()
            .entrySet()
            .containsAll(selector.entrySet()));
    assertEquals(
        Map.of(
            "prometheus.io/scrape", "true",
            "prometheus.io/port", "5000",
            "prometheus.io/path", "/metrics"),
        deployment.getSpec().getTemplate().getMetadata().getAnnotations());
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    Container container = pod.getContainers().get(0);
    // Serves 5 s more after SIGTERM, readiness failing, while endpoints and proxies catch up; then
    // the prediction timeout for requests in flight, and a margin.
    assertEquals("5", env(container).get("ODAHU_SHUTDOWN_DELAY"));
    assertEquals(5 + 60 + 45, pod.getTerminationGracePeriodSeconds());
    assertFalse(pod.getAutomountServiceAccountToken());
    checkServerContainer(container, 2, "1536Mi");
    assertEquals(new Quantity("2"), container.getResources().getLimits().get("cpu"));
    checkProbe(container.getStartupProbe(), "/health/ready");
    assertTrue(
        container.getStartupProbe().getPeriodSeconds()
                * container.getStartupProbe().getFailureThreshold()
            >= 300 + 60,
        "the startup probe waits for the server's start timeout, and the JVM's and Python's start");
    RestrictedPodSecurity.check(pod.getSecurityContext(), container, pod.getVolumes());

    Service service = as(documents.get("Service"), Service.class);
    assertEquals(selector, service.getSpec().getSelector());
    assertEquals(80, service.getSpec().getPorts().get(0).getPort());
    assertEquals(
        container.getPorts().get(0).getName(),
        service.getSpec().getPorts().get(0).getTargetPort().getStrVal());

    HorizontalPodAutoscaler autoscaler =
        as(documents.get("HorizontalPodAutoscaler"), HorizontalPodAutoscaler.class);
    assertEquals("autoscaling/v2", autoscaler.getApiVersion());
    assertEquals("wine", autoscaler.getSpec().getScaleTargetRef().getName());
    assertEquals("Deployment", autoscaler.getSpec().getScaleTargetRef().getKind());
    assertEquals(2, autoscaler.getSpec().getMinReplicas());
    assertEquals(4, autoscaler.getSpec().getMaxReplicas());
    assertEquals("cpu", autoscaler.getSpec().getMetrics().get(0).getResource().getName());

    PodDisruptionBudget budget =
        as(documents.get("PodDisruptionBudget"), PodDisruptionBudget.class);
    assertEquals("policy/v1", budget.getApiVersion());
    assertEquals(1, budget.getSpec().getMaxUnavailable().getIntVal());
    assertNull(budget.getSpec().getMinAvailable());
    assertEquals(selector, budget.getSpec().getSelector().getMatchLabels());
  }

  private static int byOrder(String a, String b) {
    List<String> order =
        List.of("Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget");
    return Integer.compare(order.indexOf(a), order.indexOf(b));
  }

  @Test
  void knative() throws Exception {
    Run run =
        odahuPack("deploy", "manifests", "--image", IMAGE, "--format", "knative", "--name", "w2");
    assertEquals(0, run.status(), run.err());
    JsonNode service = documents(run.out()).get("Service");
    assertEquals("serving.knative.dev/v1", service.get("apiVersion").asText());
    assertEquals("w2", service.at("/metadata/name").asText());
    JsonNode annotations = service.at("/spec/template/metadata/annotations");
    assertEquals("0", annotations.get("autoscaling.knative.dev/min-scale").textValue());
    assertEquals("4", annotations.get("autoscaling.knative.dev/max-scale").textValue());
    assertEquals("2", annotations.get("autoscaling.knative.dev/target").textValue());
    assertEquals("concurrency", annotations.get("autoscaling.knative.dev/metric").textValue());
    assertEquals("true", annotations.get("prometheus.io/scrape").textValue());
    JsonNode spec = service.at("/spec/template/spec");
    // Knative's pods get the revision timeout as their termination grace period: the prediction
    // timeout, the capture's drain and the workers' stop, as the Deployment's.
    assertEquals(105, spec.get("timeoutSeconds").asInt());
    Container container = as(spec.at("/containers/0"), Container.class);
    checkServerContainer(container, 1, "1024Mi");
    assertEquals("http1", container.getPorts().get(0).getName(), "Knative's port name");
    assertNull(container.getStartupProbe());
    List<Volume> volumes = List.of(as(spec.at("/volumes/0"), Volume.class));
    RestrictedPodSecurity.check(null, container, volumes);
  }

  @Test
  void kserve() throws Exception {
    Run run =
        odahuPack("deploy", "manifests", "--image", IMAGE, "--format", "kserve", "--workers", "3");
    assertEquals(0, run.status(), run.err());
    Map<String, JsonNode> documents = documents(run.out());
    JsonNode runtime = documents.get("ServingRuntime");
    assertEquals("serving.kserve.io/v1alpha1", runtime.get("apiVersion").asText());
    assertEquals("odahu-pack-wine", runtime.at("/metadata/name").asText(), "one per model");
    assertFalse(runtime.at("/spec/supportedModelFormats/0/autoSelect").asBoolean());
    assertEquals("odahu-gppi", runtime.at("/spec/supportedModelFormats/0/name").asText());
    assertEquals("v2", runtime.at("/spec/protocolVersions/0").asText());
    Container container = as(runtime.at("/spec/containers/0"), Container.class);
    assertEquals("kserve-container", container.getName());
    checkServerContainer(container, 3, "2048Mi");
    RestrictedPodSecurity.check(
        null, container, List.of(as(runtime.at("/spec/volumes/0"), Volume.class)));

    JsonNode service = documents.get("InferenceService");
    assertEquals("serving.kserve.io/v1beta1", service.get("apiVersion").asText());
    assertEquals("wine", service.at("/metadata/name").asText());
    // Concurrency scaling, the timeout and the drain are Knative's: never Standard mode's HPA.
    assertEquals(
        "Serverless",
        service.at("/metadata/annotations/serving.kserve.io~1deploymentMode").asText());
    JsonNode predictor = service.at("/spec/predictor");
    assertEquals(1, predictor.get("minReplicas").asInt());
    assertEquals("concurrency", predictor.get("scaleMetric").asText());
    assertEquals(6, predictor.get("scaleTarget").asInt());
    JsonNode model = predictor.get("model");
    assertEquals("odahu-pack-wine", model.get("runtime").asText());
    assertEquals("model-server", predictor.at("/labels/app.kubernetes.io~1component").asText());
    assertEquals("odahu-gppi", model.at("/modelFormat/name").asText());
    assertEquals("v2", model.get("protocolVersion").asText());
    assertEquals(IMAGE, model.get("image").asText());
    // The protocol's name only: the model keeps its own in headers, swagger and capture records.
    assertEquals(1, model.get("env").size());
    assertEquals("ODAHU_V2_MODEL_NAME", model.at("/env/0/name").asText());
    assertEquals("wine", model.at("/env/0/value").asText());
  }

  /** Where each format's pod spec is: its document's kind and the path in it. */
  private static final Map<String, List<String>> POD_SPECS =
      Map.of(
          "kubernetes", List.of("Deployment", "/spec/template/spec"),
          "knative", List.of("Service", "/spec/template/spec"),
          "kserve", List.of("InferenceService", "/spec/predictor"),
          "job", List.of("Job", "/spec/template/spec"));

  private static final List<String> JOB_OPTIONS =
      List.of("--input", "/data/in.jsonl", "--output-dir", "/data/out", "--volume-claim", "data");

  private static JsonNode podSpec(String format, String... extra) throws IOException {
    List<String> args =
        new java.util.ArrayList<>(
            List.of("deploy", "manifests", "--image", IMAGE, "--format", format));
    if (format.equals("job")) {
      args.addAll(JOB_OPTIONS);
    }
    args.addAll(List.of(extra));
    Run run = odahuPack(args.toArray(String[]::new));
    assertEquals(0, run.status(), run.err());
    List<String> where = POD_SPECS.get(format);
    JsonNode spec = documents(run.out()).get(where.get(0)).at(where.get(1));
    assertFalse(spec.isMissingNode(), format);
    return spec;
  }

  @Test
  void podsRunAsTheServiceAccountAndPullWithTheSecretsAsked() throws Exception {
    for (String format : POD_SPECS.keySet()) {
      JsonNode spec =
          podSpec(
              format,
              "--service-account",
              "model-runner",
              "--image-pull-secret",
              "registry-a",
              "--image-pull-secret",
              "registry-b.example,registry-c");
      assertEquals("model-runner", spec.path("serviceAccountName").asText(), format);
      assertEquals(
          List.of("registry-a", "registry-b.example", "registry-c"),
          spec.path("imagePullSecrets").findValuesAsText("name"),
          format);
      // Without them the namespace's default service account, and no secrets.
      JsonNode plain = podSpec(format);
      assertTrue(plain.path("serviceAccountName").isMissingNode(), format + ": " + plain);
      assertTrue(plain.path("imagePullSecrets").isMissingNode(), format + ": " + plain);
    }
    Run bad =
        odahuPack(
            "deploy",
            "manifests",
            "--image",
            IMAGE,
            "--service-account",
            "Runner",
            "--image-pull-secret",
            "registry-");
    assertEquals(2, bad.status());
    assertTrue(
        bad.err()
            .contains(
                "--service-account must name a Kubernetes object (lower-case letters, digits, '-'"
                    + " and '.', starting and ending with a letter or digit, at most 253"
                    + " characters), got 'Runner'"),
        bad.err());
    assertTrue(bad.err().contains("--image-pull-secret must name a Kubernetes object"), bad.err());
    assertTrue(bad.err().contains("got 'registry-'"), bad.err());
    // An empty name among the comma-separated ones is refused wherever it is, not dropped.
    for (String names : List.of(",", "a,", ",a", "a,,b", "")) {
      Run empty = odahuPack("deploy", "manifests", "--image", IMAGE, "--image-pull-secret", names);
      assertEquals(2, empty.status(), names);
      assertTrue(empty.err().contains("--image-pull-secret must name"), empty.err());
      assertTrue(empty.err().contains("got ''"), empty.err());
      assertEquals(
          empty.err().indexOf("--image-pull-secret must name"),
          empty.err().lastIndexOf("--image-pull-secret must name"),
          "said once: " + empty.err());
    }
  }

  @Test
  void outputWritesOneFilePerObject() throws Exception {
    Path dir = temp.resolve("manifests");
    Run run = odahuPack("deploy", "manifests", "--image", IMAGE, "--output", dir.toString());
    assertEquals(0, run.status(), run.err());
    List<String> files;
    try (var listing = Files.list(dir)) {
      files = listing.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertEquals(
        List.of(
            "kubernetes-wine-deployment.yaml",
            "kubernetes-wine-horizontalpodautoscaler.yaml",
            "kubernetes-wine-poddisruptionbudget.yaml",
            "kubernetes-wine-service.yaml"),
        files);
    String printed = odahuPack("deploy", "manifests", "--image", IMAGE).out();
    assertEquals(
        printed,
        Files.readString(dir.resolve("kubernetes-wine-deployment.yaml"))
            + Files.readString(dir.resolve("kubernetes-wine-service.yaml"))
            + Files.readString(dir.resolve("kubernetes-wine-horizontalpodautoscaler.yaml"))
            + Files.readString(dir.resolve("kubernetes-wine-poddisruptionbudget.yaml")));
  }

  /**
   * A file that cannot take its name (a directory in its way) fails the run, naming it; the files
   * renamed before it are whole and no temporary file is left behind.
   */
  @Test
  void outputThatCannotBeWrittenNamesTheFileAndLeavesNoTemporaryFiles() throws Exception {
    Path dir = temp.resolve("manifests");
    Path service = dir.resolve("kubernetes-wine-service.yaml");
    Files.createDirectories(service);
    Files.writeString(service.resolve("keep"), "in the way");
    Run run = odahuPack("deploy", "manifests", "--image", IMAGE, "--output", dir.toString());
    assertEquals(1, run.status(), run.err());
    assertEquals("Error: Cannot write " + service + ": Is a directory\n", run.err());
    List<String> files;
    try (var listing = Files.list(dir)) {
      files = listing.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertEquals(List.of("kubernetes-wine-deployment.yaml", "kubernetes-wine-service.yaml"), files);
    assertEquals(
        documents(odahuPack("deploy", "manifests", "--image", IMAGE).out()).get("Deployment"),
        documents(Files.readString(dir.resolve("kubernetes-wine-deployment.yaml")))
            .get("Deployment"));
  }

  @Test
  void anOutputThatIsAFileIsRefusedAndKept() throws Exception {
    Path file = Files.writeString(temp.resolve("requests.csv"), "a,b\n");
    Run run = odahuPack("deploy", "manifests", "--image", IMAGE, "--output", file.toString());
    assertEquals(1, run.status(), run.err());
    assertEquals(
        "Error: --output " + file + " is a file: name a directory for the manifests\n", run.err());
    assertEquals("a,b\n", Files.readString(file));
  }

  @Test
  void mistakesAreUsageErrors() {
    Run format = odahuPack("deploy", "manifests", "--image", IMAGE, "--format", "job2");
    assertEquals(2, format.status());
    assertTrue(
        format
            .err()
            .startsWith(
                "Error: Invalid value for option '--format': must be one of kubernetes, knative,"
                    + " kserve, "),
        format.err());
    assertTrue(format.err().contains(", got 'job2'"), format.err());
    Run name = odahuPack("deploy", "manifests", "--image", IMAGE, "--name", "Wine_1");
    assertEquals(2, name.status());
    assertTrue(name.err().startsWith("Error: --name must be a DNS label"), name.err());
    Run cpu = odahuPack("deploy", "manifests", "--image", IMAGE, "--cpu", "lots");
    assertEquals(2, cpu.status());
    assertTrue(cpu.err().contains("'lots' is not a Kubernetes quantity"), cpu.err());
    Run exponent = odahuPack("deploy", "manifests", "--image", IMAGE, "--memory", "1e3Mi");
    assertEquals(2, exponent.status());
    assertTrue(exponent.err().contains("'1e3Mi' is not a Kubernetes quantity"), exponent.err());
    assertFalse(exponent.err().contains("Exception"), exponent.err());
    Run bytes = odahuPack("deploy", "manifests", "--image", IMAGE, "--memory", "512");
    assertEquals(2, bytes.status());
    assertTrue(
        bytes
            .err()
            .startsWith(
                "Error: Invalid value for option '--memory': '512' is 512 bytes: a replica needs at"
                    + " least 128Mi (the JVM and the Python workers); did you mean 512Mi?"),
        bytes.err());
    Run small = odahuPack("deploy", "manifests", "--image", IMAGE, "--memory", "100M");
    assertEquals(2, small.status());
    assertTrue(small.err().contains("'100M' is less than 128Mi"), small.err());
    // Many bytes are no forgotten Mi: no hint of 128 TiB.
    Run manyBytes = odahuPack("deploy", "manifests", "--image", IMAGE, "--memory", "134217727");
    assertEquals(2, manyBytes.status());
    assertFalse(manyBytes.err().contains("did you mean"), manyBytes.err());
    // Taken, but said: eight workers cannot live in 128Mi beside the JVM.
    Run crowded =
        odahuPack("deploy", "manifests", "--image", IMAGE, "--workers", "8", "--memory", "128Mi");
    assertEquals(0, crowded.status(), crowded.err());
    assertTrue(
        crowded
            .err()
            .startsWith(
                "Warning: --memory 128Mi for 8 worker(s) is about 14 MiB a process: the JVM"),
        crowded.err());
    assertEquals(
        "",
        odahuPack("deploy", "manifests", "--image", IMAGE, "--workers", "3").err(),
        "the default memory for any number of workers");
    for (String notCpu : List.of("2Gi", "1k", "2M")) {
      Run cores = odahuPack("deploy", "manifests", "--image", IMAGE, "--cpu", notCpu);
      assertEquals(2, cores.status(), notCpu);
      assertTrue(
          cores.err().contains("'" + notCpu + "' is not a number of CPUs: give cores"),
          cores.err());
    }
    assertEquals(
        0,
        odahuPack("deploy", "manifests", "--image", IMAGE, "--cpu", "1.5", "--memory", "128Mi")
            .status());
    assertEquals(0, odahuPack("deploy", "manifests", "--image", IMAGE, "--cpu", "500m").status());
    assertEquals(0, odahuPack("deploy", "manifests", "--image", IMAGE, "--cpu", "0.001").status());
    for (String fraction : List.of("0.5m", "1.0005", "0.0001")) {
      Run cores = odahuPack("deploy", "manifests", "--image", IMAGE, "--cpu", fraction);
      assertEquals(2, cores.status(), fraction);
      assertTrue(cores.err().contains("finer than Kubernetes allows"), cores.err());
    }
    Run replicas =
        odahuPack(
            "deploy", "manifests", "--image", IMAGE, "--replicas", "5", "--max-replicas", "2");
    assertEquals(2, replicas.status());
    assertTrue(replicas.err().startsWith("Error: --max-replicas must be at least"), replicas.err());
    Run zero = odahuPack("deploy", "manifests", "--image", IMAGE, "--replicas", "0");
    assertEquals(2, zero.status());
    assertTrue(zero.err().contains("--format kubernetes cannot scale to zero"), zero.err());
    Run port = odahuPack("deploy", "manifests", "--image", IMAGE, "--port", "0");
    assertEquals(2, port.status());
    assertTrue(
        port.err().contains("--port must be between 1024 and 65535 in a pod, got 0"), port.err());
    for (String platform : List.of("knative", "kserve")) {
      for (String taken : List.of("8012", "8112")) {
        Run reserved =
            odahuPack(
                "deploy", "manifests", "--image", IMAGE, "--format", platform, "--port", taken);
        assertEquals(2, reserved.status(), platform);
        assertTrue(
            reserved
                .err()
                .contains("--port " + taken + " is one of the ports Knative's queue-proxy takes"),
            reserved.err());
      }
    }
    Run longName =
        odahuPack(
            "deploy",
            "manifests",
            "--image",
            IMAGE,
            "--format",
            "kserve",
            "--name",
            "w" + "x".repeat(53));
    assertEquals(2, longName.status());
    assertTrue(
        longName
            .err()
            .contains(
                "--name (default: the image's name) must be at most 53 characters for KServe"),
        longName.err());
  }

  @Test
  void optionsTheFormatDoesNotReadAreRefusedNotDropped() {
    Run concurrency = odahuPack("deploy", "manifests", "--image", IMAGE, "--concurrency", "8");
    assertEquals(2, concurrency.status());
    assertEquals(
        "Error: --concurrency is not used by --format kubernetes: its HorizontalPodAutoscaler"
            + " scales on CPU; knative and kserve scale on concurrency",
        concurrency.err().lines().findFirst().orElseThrow());
    Run jobOptions =
        odahuPack(
            "deploy",
            "manifests",
            "--image",
            IMAGE,
            "--format",
            "knative",
            "--input",
            "/d/a.csv",
            "--completions",
            "3");
    assertEquals(2, jobOptions.status());
    assertTrue(
        jobOptions
            .err()
            .startsWith("Error: --input, --completions are not used by --format knative"),
        jobOptions.err());
    Run rules = odahuPack("deploy", "manifests", "--format", "prometheus-rules", "--replicas", "5");
    assertEquals(2, rules.status());
    assertTrue(
        rules.err().startsWith("Error: --replicas is not used by --format prometheus-rules"),
        rules.err());
    assertEquals("", rules.out());
  }

  @Test
  void anImageThatIsNoReferenceIsRefusedAndANameTakenFromItSaysSo() {
    for (String image : List.of("Reg.Example.com/NS/Wine Model:1.0", " wine:1 ")) {
      for (String format : List.of("kubernetes", "kserve")) {
        Run run = odahuPack("deploy", "manifests", "--image", image, "--format", format);
        assertEquals(2, run.status(), run.out());
        assertTrue(
            run.err()
                .startsWith(
                    "Error: --image must be an image reference, got '"
                        + image
                        + "': it holds white space"),
            run.err());
      }
    }
    // Whether or not --name is given.
    Run upper =
        odahuPack("deploy", "manifests", "--image", "Reg.Example.com/NS/Wine:1.0", "--name", "w");
    assertEquals(2, upper.status());
    assertTrue(
        upper
            .err()
            .startsWith(
                "Error: --image must be an image reference, got 'Reg.Example.com/NS/Wine:1.0': a"
                    + " reference is [REGISTRY/]PATH[:TAG][@DIGEST], PATH of lower-case letters"),
        upper.err());
    Run derived = odahuPack("deploy", "manifests", "--image", "123-1.0:abc");
    assertEquals(2, derived.status());
    assertTrue(
        derived
            .err()
            .startsWith(
                "Error: the objects' name is taken from --image when --name is not given, and"
                    + " '123-1.0:abc' gives '', not a DNS label"),
        derived.err());
    assertTrue(derived.err().contains("): pass --name"), derived.err());
    assertEquals(
        0, odahuPack("deploy", "manifests", "--image", "123-1.0:abc", "--name", "m").status());
  }

  @Test
  void theDefaultsOfManyWorkersOrReplicasDoNotOverflow() throws Exception {
    Run tooMany = odahuPack("deploy", "manifests", "--image", IMAGE, "--workers", "4194304");
    assertEquals(2, tooMany.status(), tooMany.out());
    assertTrue(
        tooMany
            .err()
            .startsWith(
                "Error: Invalid value for option '--workers': must be between 1 and 1024, got"
                    + " 4194304"),
        tooMany.err());
    // Not a number: the ranges said are the ones checked.
    Run words = odahuPack("deploy", "manifests", "--image", IMAGE, "--workers", "abc");
    assertTrue(words.err().contains("(it must be between 1 and 1024)"), words.err());
    Run port = odahuPack("deploy", "manifests", "--image", IMAGE, "--port", "abc");
    assertTrue(port.err().contains("'abc' is not a whole number\n"), port.err());
    Run most = odahuPack("deploy", "manifests", "--image", IMAGE, "--workers", "1024");
    assertEquals(0, most.status(), most.err());
    Container container =
        as(documents(most.out()).get("Deployment"), Deployment.class)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    assertEquals(new Quantity("524800Mi"), container.getResources().getLimits().get("memory"));
    assertEquals(new Quantity("1024"), container.getResources().getLimits().get("cpu"));
    Run replicas =
        odahuPack(
            "deploy",
            "manifests",
            "--image",
            IMAGE,
            "--replicas",
            "2000000000",
            "--format",
            "knative");
    assertEquals(0, replicas.status(), replicas.err());
    assertEquals(
        Integer.toString(Integer.MAX_VALUE),
        documents(replicas.out())
            .get("Service")
            .at("/spec/template/metadata/annotations/autoscaling.knative.dev~1max-scale")
            .asText());
    Run timeout = odahuPack("deploy", "manifests", "--image", IMAGE, "--timeout", "3000000000");
    assertEquals(2, timeout.status());
    assertTrue(
        timeout
            .err()
            .startsWith(
                "Error: Invalid value for option '--timeout': must be at most 1000000000 seconds"),
        timeout.err());
  }

  /** uid 10001 without capabilities binds no port below 1024 on most container runtimes. */
  @Test
  void aPrivilegedPortIsRefusedWithTheReason() {
    for (String format : List.of("kubernetes", "knative", "kserve")) {
      Run run =
          odahuPack("deploy", "manifests", "--image", IMAGE, "--format", format, "--port", "80");
      assertEquals(2, run.status(), format + ": " + run.out());
      assertTrue(
          run.err()
              .startsWith(
                  "Error: --port must be between 1024 and 65535 in a pod, got 80: the pods run as"
                      + " user 10001 with every capability dropped"),
          run.err());
      Run lowest =
          odahuPack("deploy", "manifests", "--image", IMAGE, "--format", format, "--port", "1024");
      assertEquals(0, lowest.status(), lowest.err());
    }
  }

  @Test
  void aTimeoutKnativeRefusesByDefaultIsAWarning() throws Exception {
    for (String format : List.of("knative", "kserve")) {
      Run run =
          odahuPack(
              "deploy", "manifests", "--image", IMAGE, "--format", format, "--timeout", "556");
      assertEquals(0, run.status(), run.err());
      assertTrue(
          run.err()
              .startsWith(
                  "Warning: the revision timeout is 601 s (--timeout and 45 s), above the 600 s"
                      + " Knative allows by default: raise max-revision-timeout-seconds"),
          run.err());
      Run within =
          odahuPack(
              "deploy", "manifests", "--image", IMAGE, "--format", format, "--timeout", "555");
      assertEquals("", within.err());
    }
  }

  @Test
  void namesComeFromTheImage() {
    assertEquals("wine", DeploymentRequest.nameOf("registry.example.com:5000/odahu/wine:1.0"));
    assertEquals("wine-1-0", DeploymentRequest.nameOf("odahu/Wine_1.0@sha256:abc"));
    assertEquals("m", DeploymentRequest.nameOf("localhost/1-m:2"));
  }
}
