package org.odahu.pack.packager.image;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.odahu.pack.artifact.files.DiskSpace;
import org.odahu.pack.artifact.files.ExitCleanup;
import org.odahu.pack.artifact.files.FileTrees;
import org.odahu.pack.packager.CacheDirectory;
import org.odahu.pack.packager.PackagingException;

/**
 * A small Java runtime for images whose base has none: {@code jlink} of the running JDK with the
 * modules the model server needs, built once per JDK and cached.
 *
 * <p>A build holds the cache's {@value #LOCK} (an OS file lock, released however the process ends)
 * and works in a {@value #BUILDING} directory registered with the program's {@link ExitCleanup}, as
 * is the {@code jlink} process: a packaging stopped meanwhile (SIGTERM, Ctrl-C) kills jlink and
 * removes its half-built runtime. What a process killed outright ({@code kill -9}) left behind is
 * swept by the next one to hold the lock: no live process builds without it.
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

  /** The prefix of a build's work directory in the cache. */
  static final String BUILDING = "jre-building-";

  /** The lock file a build holds, in the cache. */
  static final String LOCK = ".jre.lock";

  private JavaRuntime() {}

  /**
   * The cached runtime directory for this JDK, built with {@code jlink} on first use.
   *
   * @param cleanup stops jlink and removes its work directory however the program ends
   */
  public static Path ensure(Path cacheDirectory, PackagingListener listener, ExitCleanup cleanup) {
    Path jlink = Path.of(System.getProperty("java.home")).resolve("bin").resolve("jlink");
    Path runtime = runtimeDirectory(cacheDirectory);
    try {
      if (isBuilt(runtime)) {
        if (hasWork(cacheDirectory)) {
          locked(cacheDirectory, false, listener, () -> sweep(cacheDirectory));
        }
        return runtime;
      }
      if (!Files.isExecutable(jlink)) {
        throw new PackagingException(
            "Cannot build the Java runtime layer: "
                + jlink
                + " is missing. Run odahu-pack with a full JDK"
                + " (JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64), or use a base image that has"
                + " Java");
      }
      Files.createDirectories(cacheDirectory);
      locked(
          cacheDirectory,
          true,
          listener,
          () -> {
            sweep(cacheDirectory);
            if (!isBuilt(runtime)) { // another process may have built it meanwhile
              build(jlink, cacheDirectory, runtime, listener, cleanup);
            }
          });
      return runtime;
    } catch (IOException e) {
      throw new PackagingException(
          "Cannot build the Java runtime layer: " + CacheDirectory.space(cacheDirectory).reason(e),
          e);
    }
  }

  /** Where the runtime of this JDK is (or will be) in the cache. */
  static Path runtimeDirectory(Path cacheDirectory) {
    String key =
        hash(
            Runtime.version()
                + "|"
                + System.getProperty("java.vendor")
                + "|"
                + MODULES
                + "|"
                + OPTIONS);
    return cacheDirectory.resolve("jre-" + key);
  }

  private static boolean isBuilt(Path runtime) {
    return Files.isExecutable(runtime.resolve("bin").resolve("java"));
  }

  private static void build(
      Path jlink,
      Path cacheDirectory,
      Path runtime,
      PackagingListener listener,
      ExitCleanup cleanup)
      throws IOException {
    listener.step("Building the Java runtime layer with jlink (once per JDK)");
    try (ExitCleanup.TemporaryDirectory work =
        cleanup.newTemporaryDirectory(cacheDirectory, BUILDING)) {
      Path building = work.path().resolve("jre");
      List<String> command =
          new ArrayList<>(List.of(jlink.toString(), "--add-modules", String.join(",", MODULES)));
      command.addAll(List.of("--output", building.toString()));
      command.addAll(OPTIONS);
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      work.write(
          () -> {
            // Started and registered in one step, undone before the directory is deleted (newest
            // first): a stopped packaging leaves no jlink writing into the cache.
            ExitCleanup.Created<Process> started =
                cleanup.createUndoable(
                    "jlink", builder::start, process -> process::destroyForcibly);
            try {
              Process process = started.value();
              String output =
                  new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
              if (process.waitFor() != 0) {
                // jlink reports a full disk with its exceptions' names: say which disk instead.
                throw new PackagingException(
                    DiskSpace.reportedIn(output)
                        ? "Cannot build the Java runtime layer: "
                            + CacheDirectory.space(cacheDirectory).full()
                        : "jlink failed: " + output.strip());
              }
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new PackagingException("Interrupted while building the Java runtime layer", e);
            } finally {
              started.registration().close();
            }
            RecentlyUsed.storeFirst(building, runtime);
          });
    }
  }

  /** Whether the cache holds any build's work directory. */
  private static boolean hasWork(Path cacheDirectory) throws IOException {
    if (!Files.isDirectory(cacheDirectory)) {
      return false;
    }
    try (Stream<Path> entries = Files.list(cacheDirectory)) {
      return entries.anyMatch(JavaRuntime::isWork);
    }
  }

  private static boolean isWork(Path path) {
    return path.getFileName().toString().startsWith(BUILDING);
  }

  /**
   * Deletes every build's work directory: called with the lock held, so none is a live process's (a
   * process killed outright left it, or one of an older odahu-pack without the lock).
   */
  private static void sweep(Path cacheDirectory) throws IOException {
    FileTrees.deleteStartingWith(cacheDirectory, BUILDING);
  }

  /** Work done while holding the cache's lock. */
  @FunctionalInterface
  private interface Locked {
    void run() throws IOException;
  }

  /**
   * Runs {@code work} holding the cache's lock: waiting for another process's build when {@code
   * wait}, else not at all if another process holds it.
   */
  private static void locked(
      Path cacheDirectory, boolean wait, PackagingListener listener, Locked work)
      throws IOException {
    // One JVM may not hold two locks on a file: its own threads take turns here.
    synchronized (JavaRuntime.class) {
      try (FileChannel channel =
          FileChannel.open(
              cacheDirectory.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        FileLock lock = channel.tryLock();
        if (lock == null && !wait) {
          return;
        }
        if (lock == null) {
          listener.step("Waiting for another odahu-pack building the Java runtime layer");
          lock = channel.lock();
        }
        try {
          work.run();
        } finally {
          lock.release();
        }
      }
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
