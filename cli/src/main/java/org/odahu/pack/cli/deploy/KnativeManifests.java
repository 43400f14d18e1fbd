package org.odahu.pack.cli.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code --format knative}: a Knative Service (serving.knative.dev/v1) that scales on concurrent
 * requests, to zero by default, as ODAHU's deployments did. fabric8 has no Knative model in the
 * version we use, so the Service is a generic resource around the same typed container as the other
 * formats.
 */
final class KnativeManifests implements ManifestFormat {
  /** Knative names the serving port {@code http1} (HTTP/1.1). */
  private static final ModelPod.Shape SHAPE = new ModelPod.Shape("model", "http1", false);

  /**
   * Seconds of the revision timeout beyond the prediction timeout. Knative waits that long for an
   * answer (so our 504 arrives first), and also gives the revision's pods that long to stop (it
   * sets their termination grace period from the revision timeout): the margin holds the capture
   * writer's drain and the workers' stop, as the Deployment's does.
   */
  static final int REQUEST_MARGIN_SECONDS = KubernetesManifests.SHUTDOWN_MARGIN_SECONDS;

  /**
   * Ports Knative's queue-proxy and profiling take in every pod: its webhook refuses them as the
   * user's container port, but for 8112, the queue-proxy's HTTPS port, which it binds when
   * system-internal TLS is on (the two containers would then fight for it).
   */
  static final Set<Integer> RESERVED_PORTS = Set.of(8008, 8012, 8013, 8022, 8112, 9090, 9091);

  /** Knative's {@code max-revision-timeout-seconds} unless the operator raised it. */
  static final int DEFAULT_MAX_REVISION_TIMEOUT_SECONDS = 600;

  /** The revision timeout for {@code request}: the prediction timeout and the margin. */
  static long revisionTimeoutSeconds(DeploymentRequest request) {
    return (long) request.timeoutSeconds() + REQUEST_MARGIN_SECONDS;
  }

  /** What Knative refuses of {@code request} whatever its settings: a reserved port. */
  static List<String> knativeProblems(DeploymentRequest request) {
    return RESERVED_PORTS.contains(request.port())
        ? List.of(
            "--port "
                + request.port()
                + " is one of the ports Knative's queue-proxy takes in the pod "
                + new TreeSet<>(RESERVED_PORTS)
                + ": choose another")
        : List.of();
  }

  /** What Knative refuses of {@code request} under its default settings. */
  static List<String> knativeWarnings(DeploymentRequest request) {
    long timeout = revisionTimeoutSeconds(request);
    return timeout > DEFAULT_MAX_REVISION_TIMEOUT_SECONDS
        ? List.of(
            "the revision timeout is "
                + timeout
                + " s (--timeout and "
                + REQUEST_MARGIN_SECONDS
                + " s), above the "
                + DEFAULT_MAX_REVISION_TIMEOUT_SECONDS
                + " s Knative allows by default: raise max-revision-timeout-seconds in the"
                + " config-defaults ConfigMap of knative-serving, or Knative refuses the revision")
        : List.of();
  }

  @Override
  public List<String> problems(DeploymentRequest request) {
    return knativeProblems(request);
  }

  @Override
  public List<String> warnings(DeploymentRequest request) {
    return knativeWarnings(request);
  }

  @Override
  public String name() {
    return "knative";
  }

  @Override
  public Set<String> options() {
    return SCALED_SERVER_OPTIONS;
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
    podSpec.put("timeoutSeconds", revisionTimeoutSeconds(request));
    podSpec.putAll(ModelPod.access(request));
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
