package org.odahu.pack.packager.run;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.odahu.pack.packager.deps.DependencySettings;
import org.odahu.pack.packager.image.BaseImage;
import org.odahu.pack.packager.image.VerificationSettings;

/**
 * How the packager runs on this machine.
 *
 * @param cacheDirectory layer caches, the jlink'd Java runtime and the Python dependency cache
 * @param runtimeJars the jars every image runs (the model server and its dependencies)
 * @param version odahu-pack's version, recorded in labels and history
 * @param allowInsecureRegistries allow plain HTTP for non-loopback registries
 * @param defaultBase the base image when the packaging names none (built or cached on first use)
 * @param dependencies where a model's Python dependencies come from, and how strictly they are
 *     planned
 * @param verification whether and how images are run before they are pushed
 */
public record PackagerSettings(
    Path cacheDirectory,
    List<Path> runtimeJars,
    String version,
    boolean allowInsecureRegistries,
    Supplier<BaseImage> defaultBase,
    DependencySettings dependencies,
    VerificationSettings verification) {
  public PackagerSettings {
    runtimeJars = List.copyOf(runtimeJars);
    if (runtimeJars.isEmpty()) {
      throw new IllegalArgumentException(
          "no runtime jars: the odahu-pack distribution is incomplete");
    }
  }

  /** Settings with the default dependency sources (PyPI) and verification. */
  public PackagerSettings(
      Path cacheDirectory,
      List<Path> runtimeJars,
      String version,
      boolean allowInsecureRegistries,
      Supplier<BaseImage> defaultBase) {
    this(
        cacheDirectory,
        runtimeJars,
        version,
        allowInsecureRegistries,
        defaultBase,
        DependencySettings.DEFAULTS,
        VerificationSettings.DEFAULTS);
  }

  /** These settings with other dependency settings. */
  public PackagerSettings with(DependencySettings other) {
    return new PackagerSettings(
        cacheDirectory,
        runtimeJars,
        version,
        allowInsecureRegistries,
        defaultBase,
        other,
        verification);
  }

  /** These settings with other verification settings. */
  public PackagerSettings with(VerificationSettings other) {
    return new PackagerSettings(
        cacheDirectory,
        runtimeJars,
        version,
        allowInsecureRegistries,
        defaultBase,
        dependencies,
        other);
  }
}
