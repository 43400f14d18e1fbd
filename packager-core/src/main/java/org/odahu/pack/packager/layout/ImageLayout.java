package org.odahu.pack.packager.layout;

import java.util.Set;
import org.odahu.pack.packager.PackagingPlan;
import org.odahu.pack.packager.image.ImagePlan;
import org.odahu.pack.packager.manifest.PackagingIntegrationSpec;

/**
 * One kind of image odahu-pack builds (docker-rest, docker-cli, ...): where the model goes, the
 * image's environment and entrypoint. Implementations are found with {@link
 * java.util.ServiceLoader} (a {@code META-INF/services/org.odahu.pack.packager.layout.ImageLayout}
 * entry), and each carries its built-in PackagingIntegration in {@code integration.yaml} next to
 * its class: a new layout is one module, nothing else changes.
 */
public interface ImageLayout {

  /** The id of the integration this layout implements, e.g. {@code docker-rest}. */
  String id();

  /**
   * Endings of an integration's entrypoint that mean this layout, lower case (ODAHU's packagers,
   * e.g. {@code to-rest} for {@code /usr/local/bin/odahu-flow-pack-to-rest}); used for integrations
   * whose id is none of the layouts'.
   */
  Set<String> entrypointSuffixes();

  /**
   * The PackagingIntegration this layout implements when no manifest defines it: {@code
   * integration.yaml} in this class's package, with ODAHU's argument names and defaults.
   */
  default PackagingIntegrationSpec builtInIntegration() {
    return BuiltInIntegration.read(getClass(), "integration.yaml");
  }

  /**
   * Refuses arguments the image could not start with, before anything is read or built. A cluster's
   * packaging (mp.json) is not checked against the integration's schema, so the layout checks what
   * its image needs itself; {@link #plan} checks the same.
   *
   * @throws org.odahu.pack.packager.PackagingException naming the argument
   */
  default void checkArguments(PackagingPlan packaging) {}

  /** What the image holds on top of its base. */
  ImagePlan plan(LayoutRequest request);
}
