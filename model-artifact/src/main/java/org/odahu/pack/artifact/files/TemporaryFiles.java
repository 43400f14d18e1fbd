package org.odahu.pack.artifact.files;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where temporary files go: Java's {@code java.io.tmpdir}, which an executable points at {@code
 * $TMPDIR} when it starts ({@link #followTmpdir}), so that one variable moves the temporary files
 * of the JVM, of Netty and of the Python workers (Python reads {@code TMPDIR} itself) — e.g. to the
 * one writable mount of a container whose root file system is read-only.
 */
public final class TemporaryFiles {
  private static final String PROPERTY = "java.io.tmpdir";

  /** {@code java.io.tmpdir} when nothing set it: the JDK's fixed default on Unix. */
  private static final Set<String> JDK_DEFAULTS = Set.of("/tmp", "/tmp/");

  private TemporaryFiles() {}

  /**
   * The directory for temporary files, as {@code java.io.tmpdir} says now (the JDK's own {@code
   * Files.createTempFile(String, String)} keeps the value the JVM started with).
   */
  public static Path directory() {
    return Path.of(System.getProperty(PROPERTY));
  }

  /**
   * Makes {@code TMPDIR}, when {@code environment} sets it, the JVM's {@code java.io.tmpdir},
   * unless the command line set that property itself ({@code -Djava.io.tmpdir=...} wins). An
   * executable's {@code main} calls it before anything creates a temporary file; Java ignores
   * {@code TMPDIR} by itself.
   */
  public static void followTmpdir(Map<String, String> environment) {
    chosen(environment, System.getProperty(PROPERTY))
        .ifPresent(directory -> System.setProperty(PROPERTY, directory));
  }

  /**
   * The temporary directory to use instead of {@code current} ({@code java.io.tmpdir} as the JVM
   * started), or empty to keep it: {@code TMPDIR} when set and {@code current} is the JDK's
   * default, which on Unix is {@code /tmp} whatever the environment says.
   */
  static Optional<String> chosen(Map<String, String> environment, String current) {
    String tmpdir = environment.get("TMPDIR");
    if (tmpdir == null || tmpdir.isBlank() || !JDK_DEFAULTS.contains(current)) {
      return Optional.empty();
    }
    return Optional.of(tmpdir);
  }
}
