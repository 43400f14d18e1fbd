package org.odahu.pack.cli.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.util.List;
import java.util.Set;

/**
 * {@code --format kubernetes}: a Deployment, its Service, a HorizontalPodAutoscaler on CPU and a
 * PodDisruptionBudget, for any cluster; the pods pass Pod Security {@code restricted}.
 */
final class KubernetesManifests implements ManifestFormat {
  /**
   * Seconds a stopping pod has beyond the delay and the prediction timeout: the capture writer's
   * drain (at most 30 s), then the workers' stop.
   */
  static final int SHUTDOWN_MARGIN_SECONDS = 45;

  /**
   * Seconds a stopping pod goes on serving, readiness failing, before it closes its port: the
   * endpoints, kube-proxy and ingresses take a few seconds to stop sending to it.
   */
  static final int SHUTDOWN_DELAY_SECONDS = 5;

  /** The average CPU utilisation (of the request) the autoscaler aims for. */
  static final int TARGET_CPU_PERCENT = 70;

  private static final ModelPod.Shape SHAPE = new ModelPod.Shape("model", ModelPod.PORT_NAME, true);

  @Override
  public String name() {
    return "kubernetes";
  }

  @Override
  public Set<String> options() {
    return SERVER_OPTIONS;
  }

  @Override
  public String unusedOptionHint(String option) {
    return option.equals("--concurrency")
        ? "its HorizontalPodAutoscaler scales on CPU; knative and kserve scale on concurrency"
        : "";
  }

  @Override
  public String description() {
    return "Deployment, Service, HorizontalPodAutoscaler, PodDisruptionBudget";
  }

  @Override
  public List<String> problems(DeploymentRequest request) {
    return request.replicasOr(1) == 0
        ? List.of(
            "--format kubernetes cannot scale to zero (its HorizontalPodAutoscaler keeps at least"
                + " one replica): use --format knative or kserve for --replicas 0")
        : List.of();
  }

  @Override
  public List<HasMetadata> resources(DeploymentRequest request) {
    return List.of(
        deployment(request), service(request), autoscaler(request), disruptionBudget(request));
  }

  private static ObjectMeta metadata(DeploymentRequest request) {
    return new ObjectMetaBuilder()
        .withName(request.name())
        .withLabels(ModelPod.labels(request))
        .build();
  }

  private static Deployment deployment(DeploymentRequest request) {
    return new DeploymentBuilder()
        .withMetadata(metadata(request))
        .withNewSpec()
        // No replicas: the HorizontalPodAutoscaler owns them (its minReplicas is --replicas), and
        // every kubectl apply of a count would reset a scaled-out Deployment.
        .withNewSelector()
        .withMatchLabels(ModelPod.selector(request))
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(ModelPod.labels(request))
        .withAnnotations(ModelPod.prometheusAnnotations(request))
        .endMetadata()
        .withNewSpec()
        // SIGTERM lets requests in flight finish (up to the prediction timeout) and writes the
        // queued capture records before the kubelet's SIGKILL.
        .withTerminationGracePeriodSeconds(
            (long) request.timeoutSeconds() + SHUTDOWN_DELAY_SECONDS + SHUTDOWN_MARGIN_SECONDS)
        .withServiceAccountName(request.serviceAccount())
        .withImagePullSecrets(ModelPod.pullSecrets(request))
        .withAutomountServiceAccountToken(false)
        .withSecurityContext(ModelPod.podSecurity())
        .withContainers(
            ModelPod.container(request, SHAPE)
                .addNewEnv()
                .withName("ODAHU_SHUTDOWN_DELAY")
                .withValue(Integer.toString(SHUTDOWN_DELAY_SECONDS))
                .endEnv()
                .build())
        .withVolumes(ModelPod.tmpVolume())
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private static Service service(DeploymentRequest request) {
    return new ServiceBuilder()
        .withMetadata(metadata(request))
        .withNewSpec()
        .withSelector(ModelPod.selector(request))
        .addNewPort()
        .withName(ModelPod.PORT_NAME)
        .withPort(80)
        .withTargetPort(new IntOrString(ModelPod.PORT_NAME))
        .withProtocol("TCP")
        .endPort()
        .endSpec()
        .build();
  }

  private static HorizontalPodAutoscaler autoscaler(DeploymentRequest request) {
    return new HorizontalPodAutoscalerBuilder()
        .withMetadata(metadata(request))
        .withNewSpec()
        .withNewScaleTargetRef()
        .withApiVersion("apps/v1")
        .withKind("Deployment")
        .withName(request.name())
        .endScaleTargetRef()
        .withMinReplicas(request.replicasOr(1))
        .withMaxReplicas(request.maxReplicas())
        .addNewMetric()
        .withType("Resource")
        .withNewResource()
        .withName("cpu")
        .withNewTarget()
        .withType("Utilization")
        .withAverageUtilization(TARGET_CPU_PERCENT)
        .endTarget()
        .endResource()
        .endMetric()
        .endSpec()
        .build();
  }

  /** One pod at a time may be evicted; a minimum would block node drains with one replica. */
  private static PodDisruptionBudget disruptionBudget(DeploymentRequest request) {
    return new PodDisruptionBudgetBuilder()
        .withMetadata(metadata(request))
        .withNewSpec()
        .withMaxUnavailable(new IntOrString(1))
        .withNewSelector()
        .withMatchLabels(ModelPod.selector(request))
        .endSelector()
        .endSpec()
        .build();
  }
}
