package org.odahu.pack.packager.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.files.ExitCleanup;

/**
 * jlink started for the Java runtime layer does not outlive a stopped packaging, its half-built
 * runtime is removed with it, and what a process killed outright left is swept by the next one.
 */
class JavaRuntimeIT {
  @TempDir Path temp;

  /** Builds the runtime into the cache {@code args[0]}, as a packaging does, with its cleanup. */
  public static void main(String[] args) {
    try (ExitCleanup cleanup = ExitCleanup.atExit()) {
      JavaRuntime.ensure(Path.of(args[0]), PackagingListener.NONE, cleanup);
    }
  }

  private static List<Path> building(Path cache) throws IOException {
    try (Stream<Path> entries = Files.list(cache)) {
      return entries
          .filter(path -> path.getFileName().toString().startsWith(JavaRuntime.BUILDING))
          .toList();
    }
  }

  @Test
  void aStoppedPackagingStopsJlinkAndRemovesItsWork() throws Exception {
    Path cache = temp.resolve("cache");
    Path log = temp.resolve("child.log");
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:-UsePerfData",
                "-cp",
                System.getProperty("java.class.path"),
                JavaRuntimeIT.class.getName(),
                cache.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      ProcessHandle jlink = null;
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
      while (child.isAlive() && System.nanoTime() < deadline) {
        jlink =
            child
                .descendants()
                .filter(
                    p ->
                        p.info().command().orElse("").endsWith("/jlink")
                            || p.info().commandLine().orElse("").contains("--add-modules"))
                .findFirst()
                .orElse(null);
        // Stopped once jlink has begun writing its runtime.
        if (jlink != null && Files.isDirectory(cache) && !building(cache).isEmpty()) {
          Thread.sleep(200);
          break;
        }
        Thread.sleep(10);
      }
      assertTrue(jlink != null, "jlink never started: " + Files.readString(log));
      child.destroy(); // SIGTERM, as a pod's stop or kill
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
      assertEquals(List.of(), building(cache), "no half-built runtime left");
      // jlink was stopped with the packaging (a TimeoutException otherwise: it runs on alone).
      jlink.onExit().get(3, TimeUnit.SECONDS);
      assertFalse(
          Files.exists(JavaRuntime.runtimeDirectory(cache)), "no runtime stored: it was not built");
    } finally {
      child.destroyForcibly();
    }
  }

  @Test
  void workLeftByAKilledPackagingIsSweptByTheNext() throws Exception {
    Path cache = Files.createDirectories(temp.resolve("cache"));
    // The runtime is there (a stand-in); so is what a packaging killed with -9 left.
    Path java = JavaRuntime.runtimeDirectory(cache).resolve("bin/java");
    Files.createDirectories(java.getParent());
    Files.writeString(java, "#!/bin/sh\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path stale = Files.createDirectories(cache.resolve(JavaRuntime.BUILDING + "4242-x/jre/lib"));
    Files.writeString(stale.resolve("modules"), "half a runtime");
    Path old = Files.createDirectories(cache.resolve(JavaRuntime.BUILDING + "1234567"));
    try (ExitCleanup cleanup = ExitCleanup.manual()) {
      assertEquals(
          JavaRuntime.runtimeDirectory(cache),
          JavaRuntime.ensure(cache, PackagingListener.NONE, cleanup));
    }
    assertEquals(List.of(), building(cache), "swept: " + stale + ", " + old);
    assertTrue(Files.isExecutable(java), "the runtime stays");
  }
}
