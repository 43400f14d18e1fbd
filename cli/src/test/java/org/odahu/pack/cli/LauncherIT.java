package org.odahu.pack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.packager.testing.Trees;

/**
 * The distribution's launcher: its class data sharing archive never shows in the output, and a
 * rebuilt distribution gets a fresh archive instead of a stale one the JVM would refuse.
 */
class LauncherIT {
  @TempDir Path temp;

  @Test
  void classDataSharingIsSilentAndFollowsRebuilds() throws Exception {
    Path dist = temp.resolve("dist");
    Path home = Path.of(System.getProperty("odahu.home"));
    Trees.copy(home.resolve("bin"), dist.resolve("bin"));
    Files.createDirectories(dist.resolve("lib"));
    try (Stream<Path> jars = Files.list(home.resolve("lib"))) {
      for (Path jar : jars.filter(Files::isRegularFile).toList()) {
        Files.copy(jar, dist.resolve("lib").resolve(jar.getFileName()));
      }
    }
    Path cache = temp.resolve("cache");

    String expected = version(dist, cache); // writes the archive
    assertTrue(expected.startsWith("odahu-pack "), expected);
    assertEquals(2, expected.lines().count(), expected);
    List<Path> archives = archives(cache);
    assertEquals(1, archives.size(), archives.toString());
    assertEquals(expected, version(dist, cache)); // uses it

    Path jar = dist.resolve("lib").resolve("odahu-pack-cli-0.1.0.jar");
    Files.setLastModifiedTime(jar, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
    assertEquals(expected, version(dist, cache)); // the rebuilt distribution: a new archive
    List<Path> rebuilt = archives(cache);
    assertEquals(1, rebuilt.size(), "the stale archive is removed: " + rebuilt);
    assertNotEquals(archives, rebuilt);
    assertEquals(expected, version(dist, cache));
  }

  @Test
  void serveStartsTheServersOwnEntryPointWithItsOwnArchive() throws Exception {
    Path home = Path.of(System.getProperty("odahu.home"));
    Path cache = temp.resolve("cache");
    String expected = version(home, cache);
    assertEquals(expected, run(home, cache, 0, "serve", "--version"));
    assertTrue(run(home, cache, 0, "serve", "--help").startsWith("Usage: odahu-pack serve"));

    String missing = run(home, cache, 1, "serve", temp.resolve("no-such-model").toString());
    assertTrue(missing.startsWith("Error: Model artifact not found: "), missing);
    assertEquals(2, archives(cache).size(), "the server's classes: " + archives(cache));
  }

  /** {@code odahu-pack --version}: stdout and stderr together, which must hold only the version. */
  private static String version(Path dist, Path cache) throws Exception {
    return run(dist, cache, 0, "--version");
  }

  private static String run(Path dist, Path cache, int exitCode, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(List.of("bash", dist.resolve("bin/odahu-pack").toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("ODAHU_PACK_CACHE", cache.toString());
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(1, TimeUnit.MINUTES));
    assertEquals(exitCode, process.exitValue(), output);
    return output;
  }

  private static List<Path> archives(Path cache) throws Exception {
    try (Stream<Path> files = Files.list(cache.resolve("cds"))) {
      return files.sorted().toList();
    }
  }
}
