package org.odahu.pack.packager.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.odahu.pack.packager.CacheDirectory;
import org.odahu.pack.packager.image.BaseImage;
import org.odahu.pack.packager.run.PackagerSettings;

/** Packager settings for tests: the reactor's runtime jars and the user's cache directory. */
public final class TestPackagers {
  private TestPackagers() {}

  /** serving-runtime's jars ({@code -Dodahu.runtime.lib}, built in its package phase). */
  public static List<Path> runtimeJars() {
    Path dir =
        Path.of(System.getProperty("odahu.runtime.lib", "../serving-runtime/target/runtime-lib"));
    try (Stream<Path> jars = Files.list(dir)) {
      return jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "runtime jars missing in " + dir + ": build serving-runtime first", e);
    }
  }

  /** The user's odahu-pack cache, as the command line finds it. */
  public static Path cacheDirectory() {
    return CacheDirectory.of(System.getenv(), System.getProperty("user.home"));
  }

  /** Settings with the given default base, plain HTTP only for loopback registries. */
  public static PackagerSettings settings(Supplier<BaseImage> defaultBase) {
    return settings(defaultBase, false);
  }

  /** Settings with the given default base and plain-HTTP opt-in. */
  public static PackagerSettings settings(
      Supplier<BaseImage> defaultBase, boolean allowInsecureRegistries) {
    return new PackagerSettings(
        cacheDirectory(), runtimeJars(), "0.1.0-test", allowInsecureRegistries, defaultBase);
  }

  /**
   * What packagings put in the user's cache for their own use only ({@code jib/packaging-*}, {@code
   * pulled-base-*}, {@code verified-image-*}), sorted by name.
   */
  public static List<String> packagingWorkDirectories() throws IOException {
    Path jib = cacheDirectory().resolve("jib");
    if (!Files.isDirectory(jib)) {
      return List.of();
    }
    try (Stream<Path> cached = Files.list(jib)) {
      return cached
          .map(p -> p.getFileName().toString())
          .filter(name -> name.matches("(pulled-base|packaging|verified-image)-.*"))
          .sorted()
          .toList();
    }
  }
}
