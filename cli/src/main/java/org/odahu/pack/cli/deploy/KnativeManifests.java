package org.odahu.pack.cli.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --format knative}: a Knative Service (serving.knative.dev/v1) that scales on concurrent
 * requests, to zero by default, as ODAHU's deployments did. fabric8 has no Knative model in the
 * version we use, so the Service is a generic resource around the same typed container as the other
 * formats.
 */
final class KnativeManifests implements ManifestFormat {
  /** Knative names the serving port {@code http1} (HTTP/1.1). */
  private static final ModelPod.Shape SHAPE = new ModelPod.Shape("model", "http1", false);

  /** Seconds Knative waits for an answer beyond the prediction timeout, so our 504 arrives. */
  static final int REQUEST_MARGIN_SECONDS = 10;

  @Override
  public String name() {
    return "knative";
  }

  @Override
  public String description() {
    return "Knative Service (serving.knative.dev/v1), scale to zero";
  }

  @Override
  public List<HasMetadata> resources(DeploymentRequest request) {
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put("autoscaling.knative.dev/min-scale", Integer.toString(request.replicasOr(0)));
    annotations.put("autoscaling.knative.dev/max-scale", Integer.toString(request.maxReplicas()));
    annotations.put("autoscaling.knative.dev/metric", "concurrency");
    annotations.put("autoscaling.knative.dev/target", Integer.toString(request.concurrency()));
    annotations.putAll(ModelPod.prometheusAnnotations(request));

    Map<String, Object> podSpec = new LinkedHashMap<>();
    podSpec.put("timeoutSeconds", request.timeoutSeconds() + REQUEST_MARGIN_SECONDS);
    podSpec.put("containers", List.of(ModelPod.container(request, SHAPE).build()));
    podSpec.put("volumes", List.of(ModelPod.tmpVolume()));
    Map<String, Object> template = new LinkedHashMap<>();
    template.put(
        "metadata",
        new ObjectMetaBuilder()
            .withLabels(ModelPod.labels(request))
            .withAnnotations(annotations)
            .build());
    template.put("spec", podSpec);

    GenericKubernetesResource service =
        new GenericKubernetesResourceBuilder()
            .withApiVersion("serving.knative.dev/v1")
            .withKind("Service")
            .withNewMetadata()
            .withName(request.name())
            .withLabels(ModelPod.labels(request))
            .endMetadata()
            .build();
    service.setAdditionalProperty("spec", Map.of("template", template));
    return List.of(service);
  }
}
