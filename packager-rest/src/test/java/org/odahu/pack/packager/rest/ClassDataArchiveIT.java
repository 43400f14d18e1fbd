package org.odahu.pack.packager.rest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.files.ExitCleanup;
import org.odahu.pack.packager.PackagingException;
import org.odahu.pack.packager.image.ClassDataArchive;
import org.odahu.pack.packager.image.ClassPathJar;
import org.odahu.pack.packager.image.JavaRuntime;
import org.odahu.pack.packager.image.PackagingListener;
import org.odahu.pack.packager.testing.RecordingListener;
import org.odahu.pack.packager.testing.TestPackagers;

/**
 * The class-data archive of docker-rest and docker-cli images, dumped by the images' own Java
 * runtime from the runtime jars once per cache, used by the server wherever the jars are as long as
 * they keep the layer's modification time, refused when a jar changed, and a dump that cannot be
 * written fails packaging clearly and leaves nothing behind.
 */
class ClassDataArchiveIT {
  @TempDir Path temp;

  private static final String SERVER_MAIN = "org.odahu.pack.server.ServerMain";
  private static final String FILE_NAME = ClassDataArchive.FILE_NAME;

  @Test
  void dumpedOnceAndUsedWhereverTheJarsAreUnlessAJarChanged() throws Exception {
    Path jre =
        JavaRuntime.ensure(
            TestPackagers.cacheDirectory(), PackagingListener.NONE, ExitCleanup.manual());
    List<Path> jars = TestPackagers.runtimeJars();
    RecordingListener dumping = new RecordingListener();
    RecordingListener reusing = new RecordingListener();
    Path first;
    byte[] dumped;
    try (ExitCleanup cleanup = ExitCleanup.manual()) {
      first = ClassDataArchive.ensure(temp.resolve("a"), jre, jars, dumping, cleanup);
      dumped = Files.readAllBytes(first);
      // Every later packaging with this cache takes the same file: its images get the same
      // digest.
      assertEquals(first, ClassDataArchive.ensure(temp.resolve("a"), jre, jars, reusing, cleanup));
    }
    assertEquals(1, dumping.lines().size(), dumping.lines().toString());
    assertEquals(List.of(), reusing.lines(), "nothing dumped again");
    assertArrayEquals(dumped, Files.readAllBytes(first), "the cached archive is left as it was");
    try (Stream<Path> cached = Files.walk(temp.resolve("a"))) {
      assertEquals(
          List.of(FILE_NAME, "used"),
          cached
              .filter(Files::isRegularFile)
              .map(p -> p.getFileName().toString())
              .sorted()
              .toList(),
          "the archive and its mark of use; the dump's copies are gone");
    }

    // As an image holds them: another directory, the layer's modification time.
    Path lib = Files.createDirectories(temp.resolve("opt/odahu-pack/lib"));
    for (Path jar : jars) {
      Path copy = Files.copy(jar, lib.resolve(jar.getFileName()));
      Files.setLastModifiedTime(copy, FileTime.from(FileEntriesLayer.DEFAULT_MODIFICATION_TIME));
    }
    String classPath = ClassPathJar.write(lib, jars).toString();
    Run used = java(jre, first, classPath, "-Xshare:on", "-Xlog:class+load");
    assertEquals(0, used.exit(), used.output());
    assertTrue(used.output().contains(SERVER_MAIN + " source: shared objects file"), used.output());
    assertTrue(used.output().contains("odahu-pack"), "--version printed: " + used.output());

    // A rebuilt jar is not the one the archive describes: the JVM will not use the archive.
    Files.setLastModifiedTime(lib.resolve(jars.get(0).getFileName()), FileTime.from(Instant.now()));
    Run refused = java(jre, first, classPath, "-Xshare:on");
    assertNotEquals(0, refused.exit(), refused.output());
    assertTrue(refused.output().contains("timestamp has changed"), refused.output());
  }

  /**
   * Dumps an archive into args[0] with the runtime args[1] and the test's runtime jars, cleaning up
   * at exit as the command line does.
   */
  public static final class Probe {
    private Probe() {}

    public static void main(String[] args) {
      try (ExitCleanup cleanup = ExitCleanup.atExit()) {
        ClassDataArchive.ensure(
            Path.of(args[0]),
            Path.of(args[1]),
            TestPackagers.runtimeJars(),
            PackagingListener.NONE,
            cleanup);
        System.out.println("dumped");
      } catch (PackagingException e) {
        System.out.println("refused: " + e.getMessage());
      }
    }
  }

  private static ProcessBuilder probe(Path cache, Path jre, String... limits) {
    List<String> command = new ArrayList<>(List.of(limits));
    command.addAll(
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:-UsePerfData",
            "-Dodahu.runtime.lib=" + TestPackagers.runtimeJars().get(0).getParent(),
            "-cp",
            System.getProperty("java.class.path"),
            Probe.class.getName(),
            cache.toString(),
            jre.toString()));
    return new ProcessBuilder(command).redirectErrorStream(true);
  }

  private static void assertNoFilesIn(Path cache) throws IOException {
    try (Stream<Path> left = Files.walk(cache)) {
      assertEquals(
          List.of(), left.filter(Files::isRegularFile).toList(), "no archive, no copies left");
    }
  }

  @Test
  void aPackagingStoppedWhileItDumpsLeavesNeitherTheDumpNorItsJvm() throws Exception {
    Path jre =
        JavaRuntime.ensure(
            TestPackagers.cacheDirectory(), PackagingListener.NONE, ExitCleanup.manual());
    Path cache = temp.resolve("stopped");
    Process process = probe(cache, jre).redirectOutput(temp.resolve("probe.log").toFile()).start();
    try {
      ProcessHandle dump = null;
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
      while (dump == null && process.isAlive() && System.nanoTime() < deadline) {
        dump =
            process
                .descendants()
                .filter(child -> child.info().commandLine().orElse("").contains("-Xshare:dump"))
                .findFirst()
                .orElse(null);
        Thread.sleep(10);
      }
      assertTrue(
          dump != null, "the dump never started: " + Files.readString(temp.resolve("probe.log")));
      process.destroy(); // SIGTERM, as Ctrl-C or a pod's stop
      assertTrue(process.waitFor(30, TimeUnit.SECONDS));
      // The dumping JVM is stopped with the packaging (a TimeoutException otherwise).
      dump.onExit().get(10, TimeUnit.SECONDS);
      assertNoFilesIn(cache);
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void aDumpTheDiskCannotHoldFailsClearlyAndLeavesNothingInTheCache() throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/prlimit")), "prlimit (util-linux) is not installed");
    Path jre =
        JavaRuntime.ensure(
            TestPackagers.cacheDirectory(), PackagingListener.NONE, ExitCleanup.manual());
    Path cache = temp.resolve("cache");
    // Files of at most 16 MB: the jars' copies fit, the ~38 MB archive does not.
    Process process = probe(cache, jre, "/usr/bin/prlimit", "--fsize=" + (16 << 20)).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(2, TimeUnit.MINUTES));
    assertTrue(
        out.contains("refused: Cannot dump the server's class-data archive in " + cache), out);
    assertTrue(out.contains("the JVM's dump failed"), out);
    assertNoFilesIn(cache);
  }

  private record Run(int exit, String output) {}

  /** {@code ServerMain --version} in the runtime with the archive and {@code options}. */
  private static Run java(Path jre, Path archive, String classPath, String... options)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(jre.resolve("bin/java").toString());
    command.addAll(
        List.of(
            "-XX:+UseSerialGC",
            "--enable-native-access=ALL-UNNAMED",
            "-XX:SharedArchiveFile=" + archive));
    command.addAll(List.of(options));
    command.addAll(List.of("-cp", classPath, SERVER_MAIN, "--version"));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(1, TimeUnit.MINUTES));
    return new Run(process.exitValue(), output);
  }
}
