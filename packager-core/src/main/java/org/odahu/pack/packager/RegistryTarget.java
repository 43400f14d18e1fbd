package org.odahu.pack.packager;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A {@code docker} connection: its URI (registry host and optional path prefix, e.g. {@code
 * registry.example.com/odahu}) and its credentials. Images are pushed under the URI; pull
 * credentials go only to the registry the URI names.
 *
 * @param uri the registry and path prefix (empty: Docker Hub, as {@code docker login} reads it)
 * @param credentials the credentials, or {@code null} for an anonymous registry
 */
public record RegistryTarget(String uri, RegistryCredentials credentials) {
  private static final String DOCKER_HUB = "registry-1.docker.io";
  private static final Set<String> DOCKER_HUB_ALIASES =
      Set.of("docker.io", "index.docker.io", "registry.hub.docker.com", DOCKER_HUB);

  public RegistryTarget {
    uri = uri == null ? "" : uri;
  }

  /** The full reference of {@code imageName} in this registry. */
  public String imageReference(String imageName) {
    String prefix = uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    return prefix.isEmpty() ? imageName : prefix + "/" + imageName;
  }

  /**
   * The registry (host and optional port) the URI names, read as Docker reads a reference: a scheme
   * is dropped, a first segment without a dot, colon or {@code localhost} is a Docker Hub
   * namespace, Docker Hub's names are one. Empty if the URI is no registry reference at all.
   */
  public Optional<String> registry() {
    String reference = uri.replaceFirst("^[A-Za-z][A-Za-z0-9+.-]*://", "");
    reference = reference.isEmpty() || reference.endsWith("/") ? reference : reference + "/";
    return registryOf(reference + "probe");
  }

  /**
   * Whether {@code imageReference} is in the registry this connection names: only then are its
   * credentials sent to pull it. ODAHU's Docker packager logged in to the connection's URI only;
   * its buildah path passed them to every registry of the build.
   */
  public boolean serves(String imageReference) {
    Optional<String> own = registry();
    return own.isPresent() && own.equals(registryOf(imageReference));
  }

  private static Optional<String> registryOf(String reference) {
    try {
      String registry = ImageReference.parse(reference).getRegistry().toLowerCase(Locale.ROOT);
      return Optional.of(DOCKER_HUB_ALIASES.contains(registry) ? DOCKER_HUB : registry);
    } catch (InvalidImageReferenceException e) {
      return Optional.empty();
    }
  }
}
