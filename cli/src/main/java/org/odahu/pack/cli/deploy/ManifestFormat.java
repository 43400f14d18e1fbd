package org.odahu.pack.cli.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One {@code deploy manifests --format}: the Kubernetes objects that run a {@link
 * DeploymentRequest} on one platform. Implementations build typed objects (fabric8's model); the
 * command prints them as YAML. Register a new one in {@link ManifestFormats}.
 */
public interface ManifestFormat {
  /** The {@code --format} value, e.g. {@code kubernetes}. */
  String name();

  /** One line for the help: what the objects are. */
  String description();

  /** The objects, in the order to apply them. */
  List<HasMetadata> resources(DeploymentRequest request);

  /** The options of a server's pods, which every format that runs the server reads. */
  Set<String> SERVER_OPTIONS =
      Set.of(
          "--image",
          "--replicas",
          "--max-replicas",
          "--workers",
          "--cpu",
          "--memory",
          "--timeout",
          "--port",
          "--service-account",
          "--image-pull-secret");

  /** The server's options and the autoscaler's target, {@code --concurrency}. */
  Set<String> SCALED_SERVER_OPTIONS =
      Stream.concat(SERVER_OPTIONS.stream(), Stream.of("--concurrency"))
          .collect(Collectors.toUnmodifiableSet());

  /**
   * The options of {@code deploy manifests} that this format reads, beyond {@code --format}, {@code
   * --name} and {@code --output}: any other one given is refused rather than silently left out of
   * the objects.
   */
  Set<String> options();

  /** What to say to a user who gave {@code option}, which this format does not read; or "". */
  default String unusedOptionHint(String option) {
    return "";
  }

  /** What this platform refuses in {@code request} (a command-line mistake); none by default. */
  default List<String> problems(DeploymentRequest request) {
    return List.of();
  }

  /** What this platform refuses under its default settings, which an operator may change. */
  default List<String> warnings(DeploymentRequest request) {
    return List.of();
  }
}
