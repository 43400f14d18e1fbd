package org.odahu.pack.cli.deploy;

import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.odahu.pack.gppi.BackendOptions;
import org.odahu.pack.packager.image.ImageReferences;
import org.odahu.pack.packager.layout.ImageParts;

/**
 * What {@code deploy manifests} is asked to run: a docker-rest image and how to scale and size it.
 * Every format reads the same request; where a format cannot express a field it ignores it.
 *
 * @param image the docker-rest image reference
 * @param name the name of the Kubernetes objects (a DNS-1035 label)
 * @param replicas the fewest replicas; {@code null}: the format's default (1, or 0 where the
 *     platform scales to zero)
 * @param maxReplicas the most replicas an autoscaler may run
 * @param workers Python workers per replica ({@code ODAHU_WORKERS})
 * @param cpu CPU requested and limited per replica
 * @param memory memory requested and limited per replica, shared by the JVM and the workers
 * @param timeoutSeconds the longest a prediction may take ({@code ODAHU_TIMEOUT})
 * @param port the server's port ({@code ODAHU_PORT})
 * @param concurrency the concurrent requests per replica an autoscaler aims for
 * @param batch the sharded batch prediction of {@code --format job}; {@code null} for the others
 * @param serviceAccount the pods' Kubernetes service account; {@code null}: the namespace's default
 * @param imagePullSecrets the secrets (docker-registry type) the kubelet pulls the image with
 */
public record DeploymentRequest(
    String image,
    String name,
    Integer replicas,
    int maxReplicas,
    int workers,
    Quantity cpu,
    Quantity memory,
    int timeoutSeconds,
    int port,
    int concurrency,
    BatchJob batch,
    String serviceAccount,
    List<String> imagePullSecrets) {

  /** The uid and gid the images' user has; the manifests run the server as them. */
  public static final long USER_ID = ImageParts.USER_ID;

  /** The most a worker may take to import the model and run {@code init()} (the server's). */
  public static final int START_TIMEOUT_SECONDS = 300;

  /**
   * The most Python workers a replica runs: one per CPU, and no node has more CPUs. It keeps the
   * default memory (512Mi per worker) and CPU (one per worker) far from overflowing.
   */
  public static final int MAX_WORKERS = BackendOptions.MAX_WORKERS;

  /** The lowest port a pod may serve on: below it binding needs CAP_NET_BIND_SERVICE. */
  public static final int LOWEST_PORT = 1024;

  /**
   * About what one process takes: the server's JVM, or a Python worker that imports numpy, pandas
   * and scikit-learn (~130 MiB with the wine model).
   */
  private static final long PROCESS_BYTES = 128L << 20;

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z]([-a-z0-9]{0,61}[a-z0-9])?");

  /** What secrets and service accounts may be called: an RFC 1123 subdomain. */
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private static final int DNS_SUBDOMAIN_LENGTH = 253;

  public DeploymentRequest {
    List<String> problems = new ArrayList<>();
    if (image == null || image.isBlank()) {
      problems.add("--image is required");
    } else {
      imageProblem(image).ifPresent(problems::add);
    }
    if (name == null || !DNS_LABEL.matcher(name).matches()) {
      problems.add(
          "--name must be a DNS label (lower-case letters, digits and '-', starting with a letter,"
              + " at most 63 characters), got '"
              + name
              + "'");
    }
    if (replicas != null && replicas < 0) {
      problems.add("--replicas must be at least 0, got " + replicas);
    }
    if (workers < 1 || workers > MAX_WORKERS) {
      problems.add("--workers must be between 1 and " + MAX_WORKERS + ", got " + workers);
    }
    if (port < LOWEST_PORT || port > 65535) {
      problems.add(
          "--port must be between "
              + LOWEST_PORT
              + " and 65535 in a pod, got "
              + port
              + ": the pods run as user "
              + USER_ID
              + " with every capability dropped, so many container runtimes refuse them a port"
              + " below "
              + LOWEST_PORT
              + "; clients reach the model on the Service's (or ingress's) own port whatever the"
              + " pod's");
    }
    if (maxReplicas < Math.max(1, replicas == null ? 1 : replicas)) {
      problems.add("--max-replicas must be at least 1 and --replicas, got " + maxReplicas);
    }
    imagePullSecrets = List.copyOf(imagePullSecrets);
    if (serviceAccount != null && !isDnsSubdomain(serviceAccount)) {
      problems.add(subdomainProblem("--service-account", serviceAccount));
    }
    for (String secret : imagePullSecrets) {
      if (!isDnsSubdomain(secret)) {
        problems.add(subdomainProblem("--image-pull-secret", secret));
      }
    }
    if (!problems.isEmpty()) {
      // Each once: "--image-pull-secret ," names the empty one twice.
      throw new IllegalArgumentException(String.join("; ", problems.stream().distinct().toList()));
    }
  }

  /**
   * What may well fail in the cluster though Kubernetes takes it: a memory limit too small for the
   * JVM and the workers, which get the pods OOM-killed (a small pure-Python model may fit).
   */
  public List<String> warnings() {
    if (memory == null) {
      return List.of();
    }
    long bytes = Quantity.getAmountInBytes(memory).longValue();
    if (bytes >= PROCESS_BYTES * (workers + 1L)) {
      return List.of();
    }
    return List.of(
        "--memory "
            + memory
            + " for "
            + workers
            + " worker(s) is about "
            + bytes / (workers + 1L) / (1 << 20)
            + " MiB a process: the JVM takes ~110 MiB and a Python worker with numpy, pandas and"
            + " scikit-learn ~130 MiB, so the pods may be OOM-killed (by default a replica gets"
            + " 512Mi per worker and 512Mi more)");
  }

  /**
   * Why {@code image} (an {@code --image} value) is not a reference the kubelet can pull, if it is
   * not.
   */
  public static Optional<String> imageProblem(String image) {
    try {
      ImageReferences.parse(image);
      return Optional.empty();
    } catch (ImageReferences.InvalidReferenceException e) {
      return Optional.of(
          "--image must be an image reference, got '"
              + ImageReferences.shown(image)
              + "': "
              + e.getMessage());
    }
  }

  static boolean isDnsSubdomain(String name) {
    return name.length() <= DNS_SUBDOMAIN_LENGTH && DNS_SUBDOMAIN.matcher(name).matches();
  }

  static String subdomainProblem(String option, String name) {
    return option
        + " must name a Kubernetes object (lower-case letters, digits, '-' and '.', starting and"
        + " ending with a letter or digit, at most 253 characters), got '"
        + name
        + "'";
  }

  /** Whether {@code name} may name Kubernetes objects: a DNS-1035 label. */
  static boolean isDnsLabel(String name) {
    return name != null && DNS_LABEL.matcher(name).matches();
  }

  /** The fewest replicas, or {@code formatDefault} when none was asked for. */
  public int replicasOr(int formatDefault) {
    return replicas == null ? formatDefault : replicas;
  }

  /**
   * A DNS-1035 label from an image reference: the last path segment without its tag or digest, e.g.
   * {@code wine} from {@code registry.example.com/odahu/wine:1.0}; empty if nothing is left.
   */
  public static String nameOf(String image) {
    String path = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
    String last = path.substring(path.lastIndexOf('/') + 1);
    if (last.contains(":")) {
      last = last.substring(0, last.indexOf(':'));
    }
    String label =
        last.toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9-]+", "-")
            .replaceAll("^[^a-z]+", "")
            .replaceAll("-+$", "");
    return label.length() > 63 ? label.substring(0, 63).replaceAll("-+$", "") : label;
  }
}
