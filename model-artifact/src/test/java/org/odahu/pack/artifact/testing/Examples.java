package org.odahu.pack.artifact.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the example artifacts built by {@code examples/build_examples.py} and test fixtures. */
public final class Examples {
  /** ODAHU's golden wine prediction for {@code examples/data/wine-request.json}. */
  public static final double WINE_GOLDEN = 6.38815779096629;

  private Examples() {}

  /** The directory holding the example artifacts. */
  public static Path directory() {
    String configured = System.getProperty("odahu.examples.dir");
    Path dir =
        configured != null
            ? Path.of(configured)
            : projectRoot().resolve("examples").resolve("target").resolve("artifacts");
    assertTrue(
        Files.isDirectory(dir.resolve("wine")),
        "example artifacts missing in " + dir + ": run mvn package in examples/ first");
    return dir;
  }

  /** The unpacked artifact directory of example {@code name}. */
  public static Path artifact(String name) {
    return directory().resolve(name);
  }

  /** The directory of test fixture model {@code name} (see examples/test-models/README.md). */
  public static Path testModel(String name) {
    return directory().resolve("test-models").resolve(name);
  }

  /** The ODAHU-style gzip tarball ({@code .zip}) of example {@code name}. */
  public static Path gzipTarball(String name) {
    return directory().resolve(name + ".zip");
  }

  /** The Deflate ZIP of example {@code name}. */
  public static Path deflateZip(String name) {
    return directory().resolve(name + ".deflate.zip");
  }

  /** A file of the examples' data directory, e.g. {@code wine-request.json}. */
  public static Path data(String file) {
    return projectRoot().resolve("examples").resolve("data").resolve(file);
  }

  /** The Python interpreter tests use. */
  public static Path python() {
    return Path.of(System.getProperty("odahu.python", "/usr/bin/python3"));
  }

  /** The repository root. */
  public static Path projectRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("examples"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException(
          "cannot find the project root from " + Path.of("").toAbsolutePath());
    }
    return dir;
  }
}
