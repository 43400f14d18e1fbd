package org.odahu.pack.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The installed odahu-pack: {@code lib/} (this program), {@code runtime-lib/} (the jars every image
 * runs) and {@code lib/graalpy/} (the optional GraalPy runtime). Found from {@code -Dodahu.home},
 * else from where this class was loaded.
 */
public final class Distribution {
  private final Path home;

  private Distribution(Path home) {
    this.home = home;
  }

  /** The running distribution. */
  public static Distribution current() {
    String configured = System.getProperty("odahu.home");
    if (configured != null) {
      return new Distribution(Path.of(configured));
    }
    try {
      Path jar =
          Path.of(Distribution.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return new Distribution(jar.getParent().getParent());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The jars of the model server and batch CLI, which images run. */
  public List<Path> runtimeJars() {
    Path dir = home.resolve("runtime-lib");
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException(
          "The odahu-pack distribution at "
              + home
              + " has no runtime-lib directory: rebuild it with 'mvn package'");
    }
    try (Stream<Path> jars = Files.list(dir)) {
      return jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
