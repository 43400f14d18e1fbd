package org.odahu.pack.artifact.files;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where temporary files go: Java's {@code java.io.tmpdir}, which an executable points at {@code
 * $TMPDIR} when it starts ({@link #followTmpdir}), so that one variable moves the temporary files
 * of the JVM, of Netty and of the Python workers (Python reads {@code TMPDIR} itself) — e.g. to the
 * one writable mount of a container whose root file system is read-only.
 */
public final class TemporaryFiles {
  private static final String PROPERTY = "java.io.tmpdir";

  private TemporaryFiles() {}

  /**
   * The directory for temporary files, as {@code java.io.tmpdir} says now (the JDK's own {@code
   * Files.createTempFile(String, String)} keeps the value the JVM started with).
   */
  public static Path directory() {
    return Path.of(System.getProperty(PROPERTY));
  }

  /**
   * Makes {@code TMPDIR}, when {@code environment} sets it, the JVM's {@code java.io.tmpdir}. An
   * executable's {@code main} calls it before anything creates a temporary file; Java ignores
   * {@code TMPDIR} by itself.
   */
  public static void followTmpdir(Map<String, String> environment) {
    String tmpdir = environment.get("TMPDIR");
    if (tmpdir != null && !tmpdir.isBlank()) {
      System.setProperty(PROPERTY, tmpdir);
    }
  }
}
