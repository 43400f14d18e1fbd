package org.odahu.pack.artifact.files;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

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

  private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

  private TemporaryFiles() {}

  /**
   * The directory for temporary files, as {@code java.io.tmpdir} says now (the JDK's own {@code
   * Files.createTempFile(String, String)} keeps the value the JVM started with).
   */
  public static Path directory() {
    return Path.of(System.getProperty(PROPERTY));
  }

  /**
   * A new directory in {@code parent} that only its owner may use, named {@code prefix}, the
   * process id and random characters, as {@link Files#createTempDirectory(Path, String,
   * java.nio.file.attribute.FileAttribute[])} names them without its {@code SecureRandom}: seeding
   * that costs ~40 ms on a cold JVM, and the server's early Python worker waited for it. The
   * directory is created exclusively (an existing name, a link included, is never used), so the
   * name needs to be unique, not secret.
   */
  public static Path newPrivateDirectory(Path parent, String prefix) throws IOException {
    String stem = prefix + ProcessHandle.current().pid() + "-";
    for (int attempt = 0; attempt < 100; attempt++) {
      long random = ThreadLocalRandom.current().nextLong();
      Path directory = parent.resolve(stem + Long.toUnsignedString(random, 36));
      try {
        return Files.createDirectory(directory, OWNER_ONLY);
      } catch (FileAlreadyExistsException e) {
        // taken: another name
      } catch (UnsupportedOperationException e) {
        break; // no POSIX permissions on this file system
      }
    }
    return Files.createTempDirectory(parent, prefix);
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
