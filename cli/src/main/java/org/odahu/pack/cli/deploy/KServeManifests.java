package org.odahu.pack.cli.deploy;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --format kserve}: a ServingRuntime (serving.kserve.io/v1alpha1) for odahu-pack images and
 * an InferenceService (v1beta1) that runs this image with it over the Open Inference Protocol
 * ({@code protocolVersion: v2}, {@code /v2/models/<name>/...}). Generic resources around the same
 * typed container as the other formats: fabric8 has no KServe model.
 */
final class KServeManifests implements ManifestFormat {
  /**
   * The runtime's name before the model's: each model has its own, since the runtime's container
   * carries this model's workers, timeout, port and resources (KServe merges it into the
   * predictor), which another model's manifests must not overwrite.
   */
  static final String RUNTIME_PREFIX = "odahu-pack-";

  /** KServe names the predictor's Knative Service {@code <name>-predictor}: a DNS label. */
  static final int MAX_NAME_LENGTH = 63 - "-predictor".length();

  static String runtimeName(DeploymentRequest request) {
    return RUNTIME_PREFIX + request.name();
  }

  @Override
  public List<String> problems(DeploymentRequest request) {
    List<String> problems = new ArrayList<>(KnativeManifests.knativeProblems(request));
    if (request.name().length() > MAX_NAME_LENGTH) {
      problems.add(
          "--name (default: the image's name) must be at most "
              + MAX_NAME_LENGTH
              + " characters for KServe, which names the predictor <name>-predictor, got '"
              + request.name()
              + "'");
    }
    return problems;
  }

  @Override
  public List<String> warnings(DeploymentRequest request) {
    return KnativeManifests.knativeWarnings(request);
  }

  /** The model format odahu-pack's runtime declares: an ODAHU GPPI model packed by odahu-pack. */
  static final String MODEL_FORMAT = "odahu-gppi";

  /** KServe requires this container name in a ServingRuntime. */
  private static final ModelPod.Shape SHAPE = new ModelPod.Shape("kserve-container", null, false);

  @Override
  public String name() {
    return "kserve";
  }

  @Override
  public Set<String> options() {
    return SCALED_SERVER_OPTIONS;
  }

  @Override
  public String description() {
    return "KServe ServingRuntime and InferenceService (Open Inference Protocol v2)";
  }

  @Override
  public List<HasMetadata> resources(DeploymentRequest request) {
    return List.of(runtime(request), inferenceService(request));
  }

  private static GenericKubernetesResource runtime(DeploymentRequest request) {
    Map<String, Object> format = new LinkedHashMap<>();
    format.put("name", MODEL_FORMAT);
    format.put("version", "1");
    format.put("autoSelect", false); // the InferenceService names its runtime
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("supportedModelFormats", List.of(format));
    spec.put("protocolVersions", List.of("v2"));
    spec.put("multiModel", false);
    spec.put("containers", List.of(ModelPod.container(request, SHAPE).build()));
    spec.put("volumes", List.of(ModelPod.tmpVolume()));
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("app.kubernetes.io/name", request.name());
    labels.put("app.kubernetes.io/component", "serving-runtime");
    labels.put("app.kubernetes.io/managed-by", "odahu-pack");
    return resource(
        "serving.kserve.io/v1alpha1", "ServingRuntime", runtimeName(request), labels, spec);
  }

  private static GenericKubernetesResource inferenceService(DeploymentRequest request) {
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("modelFormat", Map.of("name", MODEL_FORMAT));
    model.put("runtime", runtimeName(request));
    model.put("protocolVersion", "v2");
    model.put("image", request.image());
    // KServe's clients name the model after the InferenceService in the Open Inference Protocol's
    // paths: the server answers to that name there, and keeps the model's own everywhere else
    // (Model-Name, /api/model/info, capture records), which ODAHU_MODEL_NAME would have changed.
    model.put("env", List.of(new EnvVar("ODAHU_V2_MODEL_NAME", request.name(), null)));
    Map<String, Object> predictor = new LinkedHashMap<>();
    // On the predictor's pods, which the InferenceService's own labels do not reach.
    predictor.put("labels", ModelPod.labels(request));
    predictor.put("minReplicas", request.replicasOr(1));
    predictor.put("maxReplicas", request.maxReplicas());
    predictor.put("scaleMetric", "concurrency");
    predictor.put("scaleTarget", request.concurrency());
    predictor.put("timeout", KnativeManifests.revisionTimeoutSeconds(request));
    // The predictor is a pod spec too: the model's pod runs as and pulls with these.
    predictor.putAll(ModelPod.access(request));
    predictor.put("model", model);
    GenericKubernetesResource service =
        resource(
            "serving.kserve.io/v1beta1",
            "InferenceService",
            request.name(),
            ModelPod.labels(request),
            Map.of("predictor", predictor));
    Map<String, String> annotations = new LinkedHashMap<>(ModelPod.prometheusAnnotations(request));
    // Scaling on concurrency, the revision timeout and the drain are Knative's: on a KServe whose
    // default deployment mode is Standard (raw Deployments) they would be lost without a word.
    // "Serverless" is the name every KServe release reads as Knative's mode
    // (newer ones call it Knative and keep the old name), and where Knative is missing the
    // InferenceService says so instead of running without it.
    annotations.put("serving.kserve.io/deploymentMode", "Serverless");
    service.getMetadata().setAnnotations(annotations);
    return service;
  }

  private static GenericKubernetesResource resource(
      String apiVersion,
      String kind,
      String name,
      Map<String, String> labels,
      Map<String, Object> spec) {
    GenericKubernetesResource resource =
        new GenericKubernetesResourceBuilder()
            .withApiVersion(apiVersion)
            .withKind(kind)
            .withNewMetadata()
            .withName(name)
            .withLabels(labels)
            .endMetadata()
            .build();
    resource.setAdditionalProperty("spec", spec);
    return resource;
  }
}
