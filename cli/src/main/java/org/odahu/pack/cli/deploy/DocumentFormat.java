package org.odahu.pack.cli.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Set;

/**
 * A {@code --format} whose output is one document that does not depend on an image: the monitoring
 * files odahu-pack ships for its servers (alert rules, a dashboard). {@code --image} is not needed;
 * {@code --name} names the document's object where it has one.
 */
public interface DocumentFormat extends ManifestFormat {
  /** The name used when {@code --name} is not given. */
  String DEFAULT_NAME = "odahu-pack";

  /** The document, its object (if any) named {@code name}. */
  String document(String name);

  /** The document's file name under {@code --output}. */
  String fileName(String name);

  /** A document is the same for every model: no option of a model's pods shapes it. */
  @Override
  default Set<String> options() {
    return Set.of();
  }

  /** A document is not objects for an image: there are none. */
  @Override
  default List<HasMetadata> resources(DeploymentRequest request) {
    return List.of();
  }
}
