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
 * @param credentials the credentials, or {@code null} for an anonymous registry (or an {@code ecr}
 *     connection's, until its login token is asked for)
 * @param ecr an {@code ecr} connection's keys, or {@code null} for a {@code docker} connection
 */
public record RegistryTarget(String uri, RegistryCredentials credentials, EcrKeys ecr) {
  private static final String DOCKER_HUB = "registry-1.docker.io";
  private static final Set<String> DOCKER_HUB_ALIASES =
      Set.of("docker.io", "index.docker.io", "registry.hub.docker.com", DOCKER_HUB);

  public RegistryTarget {
    uri = uri == null ? "" : uri;
  }

  /** A {@code docker} connection. */
  public RegistryTarget(String uri, RegistryCredentials credentials) {
    this(uri, credentials, null);
  }

  /** This target with {@code credentials}, e.g. an {@code ecr} connection's login token. */
  public RegistryTarget withCredentials(RegistryCredentials credentials) {
    return new RegistryTarget(uri, credentials, ecr);
  }

  /** The full reference of {@code imageName} in this registry. */
  public String imageReference(String imageName) {
    String prefix = uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    return prefix.isEmpty() ? imageName : prefix + "/" + imageName;
  }

  /**
   * The registry (host and optional port) the URI names, as {@code docker login URI} reads it: a
   * scheme and a path are dropped, and an empty URI or any of Docker Hub's names is Docker Hub; any
   * other first segment is a host, even without a dot. Empty if that is no registry host.
   */
  public Optional<String> registry() {
    String host = uri.strip().replaceFirst("^[A-Za-z][A-Za-z0-9+.-]*://", "");
    host = host.contains("/") ? host.substring(0, host.indexOf('/')) : host;
    host = host.toLowerCase(Locale.ROOT);
    if (host.isEmpty() || DOCKER_HUB_ALIASES.contains(host)) {
      return Optional.of(DOCKER_HUB);
    }
    return ImageReference.isValidRegistry(host) ? Optional.of(host) : Optional.empty();
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
