package org.odahu.pack.cli.deploy;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --format kserve}: a ServingRuntime (serving.kserve.io/v1alpha1) for odahu-pack images and
 * an InferenceService (v1beta1) that runs this image with it over the Open Inference Protocol
 * ({@code protocolVersion: v2}, {@code /v2/models/<name>/...}). Generic resources around the same
 * typed container as the other formats: fabric8 has no KServe model.
 */
final class KServeManifests implements ManifestFormat {
  /**
   * The runtime's name; every odahu-pack image can use it (the InferenceService sets the image).
   */
  static final String RUNTIME = "odahu-pack";

  /** The model format odahu-pack's runtime declares: an ODAHU GPPI model packed by odahu-pack. */
  static final String MODEL_FORMAT = "odahu-gppi";

  /** KServe requires this container name in a ServingRuntime. */
  private static final ModelPod.Shape SHAPE = new ModelPod.Shape("kserve-container", null, false);

  @Override
  public String name() {
    return "kserve";
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
    format.put("autoSelect", true);
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("supportedModelFormats", List.of(format));
    spec.put("protocolVersions", List.of("v2"));
    spec.put("multiModel", false);
    spec.put("containers", List.of(ModelPod.container(request, SHAPE).build()));
    spec.put("volumes", List.of(ModelPod.tmpVolume()));
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("app.kubernetes.io/name", RUNTIME);
    labels.put("app.kubernetes.io/managed-by", "odahu-pack");
    return resource("serving.kserve.io/v1alpha1", "ServingRuntime", RUNTIME, labels, spec);
  }

  private static GenericKubernetesResource inferenceService(DeploymentRequest request) {
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("modelFormat", Map.of("name", MODEL_FORMAT));
    model.put("runtime", RUNTIME);
    model.put("protocolVersion", "v2");
    model.put("image", request.image());
    // The Open Inference Protocol names the model in its paths: the server answers to this name.
    model.put("env", List.of(new EnvVar("ODAHU_MODEL_NAME", request.name(), null)));
    Map<String, Object> predictor = new LinkedHashMap<>();
    predictor.put("minReplicas", request.replicasOr(1));
    predictor.put("maxReplicas", request.maxReplicas());
    predictor.put("scaleMetric", "concurrency");
    predictor.put("scaleTarget", request.concurrency());
    predictor.put("timeout", request.timeoutSeconds() + KnativeManifests.REQUEST_MARGIN_SECONDS);
    predictor.put("model", model);
    GenericKubernetesResource service =
        resource(
            "serving.kserve.io/v1beta1",
            "InferenceService",
            request.name(),
            ModelPod.labels(request),
            Map.of("predictor", predictor));
    service.getMetadata().setAnnotations(ModelPod.prometheusAnnotations(request));
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
