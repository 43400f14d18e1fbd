package org.odahu.pack.cli.deploy;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.odahu.pack.packager.MemoryBudget;
import org.odahu.pack.packager.layout.ImageParts;

/**
 * The parts every format's pod shares: the model server's container (environment, port, probes,
 * resources, a security context that passes Pod Security {@code restricted}), its writable {@code
 * /tmp} and the labels and annotations.
 */
final class ModelPod {
  static final String PORT_NAME = "http";
  static final String TMP_VOLUME = "tmp";

  private ModelPod() {}

  /** {@code app.kubernetes.io} labels; the first is the selector. */
  static Map<String, String> labels(DeploymentRequest request) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("app.kubernetes.io/name", request.name());
    labels.put("app.kubernetes.io/component", "model-server");
    labels.put("app.kubernetes.io/managed-by", "odahu-pack");
    return labels;
  }

  /** The selector: the name label only, so later label changes never orphan pods. */
  static Map<String, String> selector(DeploymentRequest request) {
    return Map.of("app.kubernetes.io/name", request.name());
  }

  /** Prometheus' conventional scrape annotations for the server's {@code /metrics}. */
  static Map<String, String> prometheusAnnotations(DeploymentRequest request) {
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put("prometheus.io/scrape", "true");
    annotations.put("prometheus.io/port", Integer.toString(request.port()));
    annotations.put("prometheus.io/path", "/metrics");
    return annotations;
  }

  /**
   * The server's settings: workers, timeout and port as the image's {@code ODAHU_*} variables, and
   * the heap's share of the memory limit ({@link MemoryBudget}) in {@code JDK_JAVA_OPTIONS}, so the
   * JVM leaves the rest of the limit to the Python workers.
   */
  static List<EnvVar> environment(DeploymentRequest request) {
    return List.of(
        // Whatever host the image was packed with: probes and the Service reach the pod's IP.
        new EnvVar("ODAHU_HOST", "0.0.0.0", null),
        new EnvVar("ODAHU_WORKERS", Integer.toString(request.workers()), null),
        new EnvVar("ODAHU_TIMEOUT", Integer.toString(request.timeoutSeconds()), null),
        new EnvVar("ODAHU_PORT", Integer.toString(request.port()), null),
        new EnvVar("JDK_JAVA_OPTIONS", MemoryBudget.heapOption(request.workers()), null));
  }

  /**
   * How a platform wants the container: its name, its port's name ({@code null}: unnamed) and
   * whether it takes a startup probe.
   */
  record Shape(String containerName, String portName, boolean startupProbe) {}

  /** The model server's container in {@code shape}. */
  static ContainerBuilder container(DeploymentRequest request, Shape shape) {
    Map<String, Quantity> resources = new LinkedHashMap<>();
    resources.put("cpu", request.cpu());
    resources.put("memory", request.memory());
    ContainerBuilder container =
        new ContainerBuilder()
            .withName(shape.containerName())
            .withImage(request.image())
            .withEnv(environment(request))
            .addNewPort()
            .withName(shape.portName())
            .withContainerPort(request.port())
            .withProtocol("TCP")
            .endPort()
            // Requests equal to limits: never throttled below its request, and for the
            // Deployment and Job the Guaranteed QoS class (Knative's and KServe's queue-proxy
            // sidecar has no limits, so their pods are Burstable).
            .withNewResources()
            .withRequests(resources)
            .withLimits(resources)
            .endResources()
            .withReadinessProbe(probe("/health/ready", request, 5, 2))
            .withLivenessProbe(probe("/health/live", request, 10, 3))
            .withSecurityContext(containerSecurity())
            .addNewVolumeMount()
            .withName(TMP_VOLUME)
            .withMountPath(ImageParts.TEMP_DIRECTORY)
            .endVolumeMount();
    if (shape.startupProbe()) {
      // Liveness starts only once the model is ready: importing it and init() may take the
      // server's whole start timeout, which starts once the JVM and Python have: a minute more.
      container.withStartupProbe(
          probe("/health/ready", request, 5, (DeploymentRequest.START_TIMEOUT_SECONDS + 60) / 5));
    }
    return container;
  }

  static Probe probe(String path, DeploymentRequest request, int period, int failures) {
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath(path)
        // By number: Knative accepts a probe port only when it is the container's port.
        .withPort(new IntOrString(request.port()))
        .endHttpGet()
        .withPeriodSeconds(period)
        .withTimeoutSeconds(3)
        .withFailureThreshold(failures)
        .build();
  }

  /** Pod Security {@code restricted}, container level; the root file system read-only. */
  static SecurityContext containerSecurity() {
    return new SecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withRunAsUser(DeploymentRequest.USER_ID)
        .withRunAsGroup(DeploymentRequest.USER_ID)
        .withAllowPrivilegeEscalation(false)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .withReadOnlyRootFilesystem(true)
        .build();
  }

  /** Pod Security {@code restricted}, pod level, for platforms that accept it. */
  static PodSecurityContext podSecurity() {
    return new PodSecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withRunAsUser(DeploymentRequest.USER_ID)
        .withRunAsGroup(DeploymentRequest.USER_ID)
        .withFsGroup(DeploymentRequest.USER_ID)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .build();
  }

  /** {@code --image-pull-secret}s as a pod's {@code imagePullSecrets}. */
  static List<LocalObjectReference> pullSecrets(DeploymentRequest request) {
    return request.imagePullSecrets().stream().map(LocalObjectReference::new).toList();
  }

  /**
   * Who the pods are ({@code serviceAccountName}) and what they pull the image with ({@code
   * imagePullSecrets}), for the formats whose pod spec is a map; only those asked for.
   */
  static Map<String, Object> access(DeploymentRequest request) {
    Map<String, Object> access = new LinkedHashMap<>();
    if (request.serviceAccount() != null) {
      access.put("serviceAccountName", request.serviceAccount());
    }
    if (!request.imagePullSecrets().isEmpty()) {
      access.put("imagePullSecrets", pullSecrets(request));
    }
    return access;
  }

  /**
   * The only writable path: the images' {@code TMPDIR}, {@link ImageParts#TEMP_DIRECTORY} (the
   * JVM's and Python's temporary files).
   */
  static Volume tmpVolume() {
    return new VolumeBuilder()
        .withName(TMP_VOLUME)
        .withNewEmptyDir()
        .withSizeLimit(new Quantity("1Gi"))
        .endEmptyDir()
        .build();
  }
}
