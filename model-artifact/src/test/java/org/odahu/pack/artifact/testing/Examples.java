package org.odahu.pack.artifact.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

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

  /** A copy of example {@code name}'s artifact directory at {@code target}, for tests to change. */
  public static Path copyOfArtifact(String name, Path target) throws IOException {
    Path source = artifact(name);
    try (java.util.stream.Stream<Path> files = Files.walk(source)) {
      for (Path file : files.toList()) {
        Path copy = target.resolve(source.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(copy);
        } else {
          Files.copy(file, copy);
        }
      }
    }
    return target;
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

  /**
   * An executable {@code script} that runs the shell command {@code first}, then execs {@link
   * #python()} with its arguments (keeping its pid): an interpreter that leaves a mark.
   */
  public static Path pythonAfter(Path script, String first) throws IOException {
    Files.writeString(script, "#!/bin/sh\n" + first + "\nexec '" + python() + "' \"$@\"\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return script;
  }

  /**
   * Skips the calling test when {@code ODAHU_*} variables, which change commands' defaults, are
   * set.
   */
  public static void assumeNoOdahuEnvironment() {
    assumeTrue(
        System.getenv().keySet().stream().noneMatch(k -> k.startsWith("ODAHU_")),
        "ODAHU_* variables are set");
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
