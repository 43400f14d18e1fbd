package org.odahu.pack.packager;

import java.nio.file.Path;
import java.util.Map;
import org.odahu.pack.artifact.files.DiskSpace;

/**
 * Where odahu-pack keeps what it builds once per machine (base images, the Java runtime, layer
 * caches): {@code $ODAHU_PACK_CACHE}, else {@code $XDG_CACHE_HOME/odahu-pack}, else {@code
 * ~/.cache/odahu-pack}. The caller reads the environment and passes it in.
 */
public final class CacheDirectory {
  private CacheDirectory() {}

  /**
   * The cache directory for a user.
   *
   * @param environment the process's environment ({@code System.getenv()} at a program's edge)
   * @param userHome the user's home directory
   */
  public static Path of(Map<String, String> environment, String userHome) {
    String explicit = environment.get("ODAHU_PACK_CACHE");
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    String xdg = environment.get("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Path.of(xdg, "odahu-pack");
    }
    return Path.of(userHome, ".cache", "odahu-pack");
  }

  /** {@code directory}, in or being the cache, named when its file system fills up. */
  public static DiskSpace space(Path directory) {
    return new DiskSpace(directory, "odahu-pack's cache; ODAHU_PACK_CACHE names another");
  }
}
