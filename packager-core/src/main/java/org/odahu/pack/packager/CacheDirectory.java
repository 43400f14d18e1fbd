package org.odahu.pack.packager;

import java.nio.file.Path;

/**
 * Where odahu-pack keeps what it builds once per machine (base images, the Java runtime, layer
 * caches): {@code $ODAHU_PACK_CACHE}, else {@code $XDG_CACHE_HOME/odahu-pack}, else {@code
 * ~/.cache/odahu-pack}.
 */
public final class CacheDirectory {
  private CacheDirectory() {}

  /** The cache directory for this user. */
  public static Path resolve() {
    String explicit = System.getenv("ODAHU_PACK_CACHE");
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Path.of(xdg, "odahu-pack");
    }
    return Path.of(System.getProperty("user.home"), ".cache", "odahu-pack");
  }
}
