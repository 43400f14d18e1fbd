package org.odahu.pack.cli.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;

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

  /** What this platform refuses in {@code request} (a command-line mistake); none by default. */
  default List<String> problems(DeploymentRequest request) {
    return List.of();
  }

  /** What this platform refuses under its default settings, which an operator may change. */
  default List<String> warnings(DeploymentRequest request) {
    return List.of();
  }
}
