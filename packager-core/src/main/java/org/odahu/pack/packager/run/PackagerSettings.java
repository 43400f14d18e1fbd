package org.odahu.pack.packager.run;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.odahu.pack.packager.image.BaseImage;

/**
 * How the packager runs on this machine.
 *
 * @param cacheDirectory layer caches and the jlink'd Java runtime
 * @param runtimeJars the jars every image runs (the model server and its dependencies)
 * @param version odahu-pack's version, recorded in labels and history
 * @param allowInsecureRegistries allow plain HTTP for non-loopback registries
 * @param defaultBase the base image when the packaging names none (built or cached on first use)
 */
public record PackagerSettings(
    Path cacheDirectory,
    List<Path> runtimeJars,
    String version,
    boolean allowInsecureRegistries,
    Supplier<BaseImage> defaultBase) {
  public PackagerSettings {
    runtimeJars = List.copyOf(runtimeJars);
    if (runtimeJars.isEmpty()) {
      throw new IllegalArgumentException(
          "no runtime jars: the odahu-pack distribution is incomplete");
    }
  }
}
