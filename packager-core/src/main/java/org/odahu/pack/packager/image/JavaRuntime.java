package org.odahu.pack.packager.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.odahu.pack.artifact.files.FileTrees;
import org.odahu.pack.packager.PackagingException;

/**
 * A small Java runtime for images whose base has none: {@code jlink} of the running JDK with the
 * modules the model server needs, built once per JDK and cached.
 */
public final class JavaRuntime {
  /**
   * What the server's jars use ({@code jdeps --print-module-deps}), minus optional java.desktop.
   */
  static final List<String> MODULES =
      List.of(
          "java.base", "java.naming", "java.sql", "jdk.jfr", "jdk.management", "jdk.unsupported");

  /**
   * jlink's options besides the modules and the output. No CDS archive of the JDK's classes: images
   * run with their own archive of the JDK's and the server's classes ({@link ClassDataArchive}),
   * which replaces it (28 MB, 7.5 MB compressed, that the image's JVM would never map).
   */
  static final List<String> OPTIONS =
      List.of("--strip-debug", "--no-man-pages", "--no-header-files", "--compress=zip-6");

  private JavaRuntime() {}

  /** The cached runtime directory for this JDK, built with {@code jlink} on first use. */
  public static Path ensure(Path cacheDirectory, PackagingListener listener) {
    Path javaHome = Path.of(System.getProperty("java.home"));
    Path jlink = javaHome.resolve("bin").resolve("jlink");
    String key =
        hash(
            Runtime.version()
                + "|"
                + System.getProperty("java.vendor")
                + "|"
                + MODULES
                + "|"
                + OPTIONS);
    Path runtime = cacheDirectory.resolve("jre-" + key);
    if (Files.isExecutable(runtime.resolve("bin").resolve("java"))) {
      return runtime;
    }
    if (!Files.isExecutable(jlink)) {
      throw new PackagingException(
          "Cannot build the Java runtime layer: "
              + jlink
              + " is missing. Run odahu-pack with a full JDK"
              + " (JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64), or use a base image that has Java");
    }
    listener.step("Building the Java runtime layer with jlink (once per JDK)");
    try {
      Files.createDirectories(cacheDirectory);
      Path building = Files.createTempDirectory(cacheDirectory, "jre-building-");
      Files.delete(building);
      List<String> command =
          new ArrayList<>(List.of(jlink.toString(), "--add-modules", String.join(",", MODULES)));
      command.addAll(List.of("--output", building.toString()));
      command.addAll(OPTIONS);
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.waitFor() != 0) {
        throw new PackagingException("jlink failed: " + output.strip());
      }
      if (!RecentlyUsed.storeFirst(building, runtime)) {
        FileTrees.delete(building); // another packaging built it first
      }
      return runtime;
    } catch (IOException e) {
      throw new PackagingException("Cannot build the Java runtime layer: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PackagingException("Interrupted while building the Java runtime layer", e);
    }
  }

  static String hash(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
