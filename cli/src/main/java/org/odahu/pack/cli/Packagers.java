package org.odahu.pack.cli;

import java.nio.file.Path;
import org.odahu.pack.artifact.files.ExitCleanup;
import org.odahu.pack.baseimages.DebianPythonBase;
import org.odahu.pack.packager.CacheDirectory;
import org.odahu.pack.packager.image.PackagingListener;
import org.odahu.pack.packager.image.RegistryProxies;
import org.odahu.pack.packager.layout.ImageLayouts;
import org.odahu.pack.packager.run.Packager;
import org.odahu.pack.packager.run.PackagerSettings;
import org.odahu.pack.packager.run.PackagingPlans;
import org.odahu.pack.server.metrics.BuildInfo;

/**
 * Builds the packager: the composition root of every packaging command, and the one place that
 * reads the packager's environment.
 */
final class Packagers {
  /**
   * Debian's mirror for the default base image (the environment's ODAHU_DEBIAN_MIRROR overrides
   * it).
   */
  static final String DEBIAN_MIRROR_DEFAULT =
      "${env:ODAHU_DEBIAN_MIRROR:-http://deb.debian.org/debian}";

  static final String DEBIAN_MIRROR =
      System.getenv().getOrDefault("ODAHU_DEBIAN_MIRROR", "http://deb.debian.org/debian");

  private Packagers() {}

  /** odahu-pack's cache, from the environment ({@code ODAHU_PACK_CACHE}, XDG, home). */
  static Path cacheDirectory() {
    return CacheDirectory.of(System.getenv(), System.getProperty("user.home"));
  }

  /** The image layouts on the class path: each packager-* module brings its own. */
  static ImageLayouts layouts() {
    return ImageLayouts.load(Packagers.class.getClassLoader());
  }

  /** Plans for the layouts on the class path. */
  static PackagingPlans plans() {
    return new PackagingPlans(layouts());
  }

  static DebianPythonBase defaultBase(PackagingListener listener) {
    return new DebianPythonBase(cacheDirectory(), DEBIAN_MIRROR, listener);
  }

  static Packager create(
      boolean allowInsecureRegistries,
      PackagingOptions options,
      ExitCleanup cleanup,
      PackagingListener listener) {
    // Registries are reached through the environment's proxies, as package sources are.
    RegistryProxies.install(System.getenv(), listener);
    DebianPythonBase base = defaultBase(listener);
    PackagerSettings settings =
        new PackagerSettings(
            cacheDirectory(),
            Distribution.current().runtimeJars(),
            BuildInfo.version(),
            allowInsecureRegistries,
            base::ensure,
            options.dependencies(System.getenv(), Path.of(System.getProperty("user.home"))),
            options.verification());
    return new Packager(settings, layouts(), cleanup, listener);
  }
}
