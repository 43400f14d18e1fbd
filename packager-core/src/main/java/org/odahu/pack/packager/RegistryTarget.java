package org.odahu.pack.packager;

/**
 * Where images are pushed: a {@code docker} connection's URI (registry host and optional path
 * prefix, e.g. {@code registry.example.com/odahu}) and its credentials.
 *
 * @param uri the registry and path prefix
 * @param credentials the credentials, or {@code null} for an anonymous registry
 */
public record RegistryTarget(String uri, RegistryCredentials credentials) {
  /** The full reference of {@code imageName} in this registry. */
  public String imageReference(String imageName) {
    String prefix = uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    return prefix.isEmpty() ? imageName : prefix + "/" + imageName;
  }
}
