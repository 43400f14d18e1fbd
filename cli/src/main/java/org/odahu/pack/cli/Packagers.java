package org.odahu.pack.cli;

import java.util.List;
import org.odahu.pack.baseimages.DebianPythonBase;
import org.odahu.pack.packager.CacheDirectory;
import org.odahu.pack.packager.Packager;
import org.odahu.pack.packager.PackagerSettings;
import org.odahu.pack.packager.cli.CliImageLayout;
import org.odahu.pack.packager.image.PackagingListener;
import org.odahu.pack.packager.rest.RestImageLayout;

/** Builds the packager: the composition root of every packaging command. */
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

  static DebianPythonBase defaultBase(PackagingListener listener) {
    return new DebianPythonBase(CacheDirectory.resolve(), DEBIAN_MIRROR, listener);
  }

  static Packager create(boolean allowInsecureRegistries, PackagingListener listener) {
    DebianPythonBase base = defaultBase(listener);
    PackagerSettings settings =
        new PackagerSettings(
            CacheDirectory.resolve(),
            Distribution.current().runtimeJars(),
            VersionProvider.version(),
            allowInsecureRegistries,
            base::ensure);
    return new Packager(settings, List.of(new RestImageLayout(), new CliImageLayout()), listener);
  }
}
