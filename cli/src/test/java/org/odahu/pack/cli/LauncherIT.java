package org.odahu.pack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.packager.testing.Trees;

/**
 * The distribution's launcher: its class data sharing archive never shows in the output, comes from
 * a run that did its job, and a rebuilt distribution gets a fresh archive instead of a stale one
 * the JVM would refuse.
 */
class LauncherIT {
  @TempDir Path temp;

  @Test
  void classDataSharingIsSilentAndFollowsRebuilds() throws Exception {
    Path dist = distribution();
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

  /**
   * The JVM refuses an archive made under other options (here compact object headers): each set of
   * the user's options has its own, so neither is refused nor rewritten by runs that alternate.
   */
  @Test
  void eachSetOfJvmOptionsHasItsOwnArchive() throws Exception {
    Path dist = distribution();
    Path cache = temp.resolve("cache");
    String expected = version(dist, cache);
    Path plain = archives(cache).get(0);
    FileTime written = Files.getLastModifiedTime(plain);
    Map<String, String> compact = Map.of("ODAHU_PACK_JAVA_OPTS", "-XX:+UseCompactObjectHeaders");
    assertEquals(expected, run(dist, cache, 0, compact, "--version"));
    List<Path> both = archives(cache);
    assertEquals(2, both.size(), both.toString());
    assertEquals(expected, run(dist, cache, 0, compact, "--version"));
    assertEquals(expected, version(dist, cache));
    assertEquals(both, archives(cache));
    assertEquals(
        written, Files.getLastModifiedTime(plain), "the plain run's archive was rewritten");
  }

  /** A copy of the distribution's launchers and jars (no GraalPy runtime). */
  private Path distribution() throws IOException {
    Path dist = temp.resolve("dist");
    Path home = Path.of(System.getProperty("odahu.home"));
    Trees.copy(home.resolve("bin"), dist.resolve("bin"));
    Files.createDirectories(dist.resolve("lib"));
    try (Stream<Path> jars = Files.list(home.resolve("lib"))) {
      for (Path jar : jars.filter(Files::isRegularFile).toList()) {
        Files.copy(jar, dist.resolve("lib").resolve(jar.getFileName()));
      }
    }
    return dist;
  }

  /** The launcher at {@code launcher} with {@code environment} only (and PATH), and its output. */
  private String runWith(
      Path launcher, java.util.Map<String, String> environment, int exitCode, String... args)
      throws Exception {
    List<String> command = new ArrayList<>(List.of("/bin/bash", launcher.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    if (!launcher.isAbsolute()) {
      // A relative path, as typed: the kind CDPATH applies to.
      builder.directory(temp.toFile());
    }
    builder.environment().clear();
    builder.environment().put("PATH", "/usr/bin:/bin");
    builder.environment().putAll(environment);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(1, TimeUnit.MINUTES));
    assertEquals(exitCode, process.exitValue(), output);
    return output;
  }

  private static long entries(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(directory)) {
      return files.count();
    }
  }

  @Test
  void theLauncherRunsThroughALinkWithoutHomeAndWithTheUsersCollector() throws Exception {
    Path dist = distribution();
    String cache = temp.resolve("cache").toString();
    Path links = Files.createDirectories(temp.resolve("elsewhere/bin"));
    Path link =
        Files.createSymbolicLink(links.resolve("odahu-pack"), dist.resolve("bin/odahu-pack"));
    String version = runWith(link, java.util.Map.of("ODAHU_PACK_CACHE", cache), 0, "--version");
    assertTrue(version.startsWith("odahu-pack "), version);
    // No HOME (a system service): the same, and no cache is made up (root could create one
    // under HOME's old stand-in, /nonexistent).
    Path madeUp = Path.of("/nonexistent/.cache/odahu-pack/cds");
    long before = entries(madeUp);
    assertEquals(
        version, runWith(dist.resolve("bin/odahu-pack"), java.util.Map.of(), 0, "--version"));
    assertEquals(before, entries(madeUp));
    // A collector in JAVA_TOOL_OPTIONS replaces the launcher's too (the JVM says it picked it up).
    String tool =
        runWith(
            link,
            java.util.Map.of("ODAHU_PACK_CACHE", cache, "JAVA_TOOL_OPTIONS", "-XX:+UseG1GC"),
            0,
            "--version");
    assertTrue(tool.endsWith(version), tool);
    // CDPATH exported, where a directory bin/.. exists too, and the launcher run by a relative
    // path: cd would print the directory it chose and take the wrong one.
    Files.createDirectories(temp.resolve("decoy/dist/bin"));
    assertEquals(
        version,
        runWith(
            Path.of("dist/bin/odahu-pack"),
            java.util.Map.of("CDPATH", temp.resolve("decoy").toString(), "ODAHU_PACK_CACHE", cache),
            0,
            "--version"));
    // The user's collector replaces the launcher's (two would not start), also for --help.
    String help =
        runWith(
            link,
            java.util.Map.of(
                "ODAHU_PACK_CACHE", cache, "ODAHU_PACK_JAVA_OPTS", "-XX:+UseParallelGC"),
            0,
            "--help");
    assertTrue(help.contains("Usage: odahu-pack"), help);
    // A distribution without the GraalPy runtime: the command runs and can say so.
    String graalpy =
        runWith(
            dist.resolve("bin/odahu-pack"),
            java.util.Map.of("ODAHU_PACK_CACHE", cache, "ODAHU_RUNTIME", "graalpy"),
            0,
            "--version");
    assertEquals(version, graalpy);
  }

  @Test
  void archivesNoRunHasReadForAMonthGoWhenTheNextIsWritten() throws Exception {
    Path home = Path.of(System.getProperty("odahu.home"));
    Path cache = temp.resolve("cache");
    Path cds = Files.createDirectories(cache.resolve("cds"));
    Path forgotten = Files.write(cds.resolve("odahu-pack-25-1-2.jsa"), new byte[] {1});
    Path recent = Files.write(cds.resolve("odahu-pack-25-3-4.jsa"), new byte[] {1});
    Path notOurs = Files.write(cds.resolve("notes.jsa"), new byte[] {1});
    FileTime longAgo = FileTime.from(Instant.now().minus(Duration.ofDays(40)));
    for (Path old : List.of(forgotten, notOurs)) {
      Files.setAttribute(old, "lastAccessTime", longAgo);
    }

    version(home, cache); // no archive for this distribution yet: one is written
    List<Path> archives = archives(cache);
    assertFalse(archives.contains(forgotten), archives.toString());
    assertTrue(archives.containsAll(List.of(recent, notOurs)), archives.toString());
    assertEquals(3, archives.size(), archives.toString());
  }

  @Test
  void anArchiveIsWrittenUnderACachePathWithSpaces() throws Exception {
    Path home = Path.of(System.getProperty("odahu.home"));
    Path cache = temp.resolve("My Files/odahu cache");
    String expected = version(home, cache);
    List<Path> archives = archives(cache);
    assertEquals(1, archives.size(), archives.toString());
    assertEquals(expected, version(home, cache), "the next run maps it, printing nothing more");
    assertEquals(archives, archives(cache));
  }

  /**
   * Without a UTF-8 locale (cron, systemd, {@code env -i}: POSIX), Java could not name a model file
   * called café.txt: the launcher gives the JVM C.UTF-8.
   */
  @Test
  void aModelFileWithANonAsciiNameIsReadWithoutAUtf8Locale() throws Exception {
    Path home = Path.of(System.getProperty("odahu.home"));
    Path artifact = temp.resolve("simple");
    Trees.copy(Examples.artifact("simple"), artifact);
    Files.writeString(artifact.resolve("odahuflow_model/café.txt"), "hi");
    String info =
        run(home, temp.resolve("cache"), 0, Map.of("LC_ALL", "C"), "info", artifact.toString());
    assertTrue(info.contains("Input schema:"), info);
  }

  @Test
  void aValueRefusedFromTheEnvironmentNamesItsVariable() throws Exception {
    Path home = Path.of(System.getProperty("odahu.home"));
    Path cache = temp.resolve("cache");
    Map<String, String> environment = Map.of("ODAHU_PORT", "70000", "ODAHU_INPUT_MATRIX", "numpy");
    String port = run(home, cache, 2, environment, "serve", "model.zip");
    assertTrue(
        port.startsWith(
            "Error: Invalid value for option '--port': must be between 0 and 65535, got 70000; it"
                + " is the value of the environment variable ODAHU_PORT\n"),
        port);
    String matrix = run(home, cache, 2, environment, "predict", "model.zip", "in.json", "out");
    assertTrue(
        matrix.startsWith(
            "Error: Invalid value for option '--input-matrix': must be lists or ndarray, got"
                + " 'numpy'; it is the value of the environment variable ODAHU_INPUT_MATRIX\n"),
        matrix);
    // Typed on the command line, the value is the user's own.
    String typed = run(home, cache, 2, environment, "serve", "--port=70001", "model.zip");
    assertTrue(
        typed.startsWith(
            "Error: Invalid value for option '--port': must be between 0 and 65535, got 70001\n"),
        typed);
  }

  @Test
  void serveWritesTheServersOwnArchiveOnlyAfterAnsweringAPrediction() throws Exception {
    Path home = Path.of(System.getProperty("odahu.home"));
    Path cache = temp.resolve("cache");
    String expected = version(home, cache);
    assertEquals(expected, run(home, cache, 0, "serve", "--version"));
    assertTrue(run(home, cache, 0, "serve", "--help").startsWith("Usage: odahu-pack serve"));
    List<Path> printing = archives(cache);
    assertEquals(1, printing.size(), printing.toString());

    String missing = run(home, cache, 1, "serve", temp.resolve("no-such-model").toString());
    assertTrue(missing.startsWith("Error: Model artifact not found: "), missing);
    // The server's own entry point names the command the user typed in its usage errors.
    String usage = run(home, cache, 2, "serve", "--no-such-option", "model.zip");
    assertTrue(usage.contains("Usage: odahu-pack serve [OPTIONS] ARTIFACT"), usage);
    assertTrue(usage.contains("Try 'odahu-pack serve --help' for more."), usage);
    assertEquals(printing, archives(cache), "a server that failed to start writes no archive");
    serve(cache, false);
    assertEquals(printing, archives(cache), "nor one that answered no prediction");

    serve(cache, true);
    List<Path> written = archives(cache);
    assertEquals(2, written.size(), "the server's classes: " + written);
    Path server = written.stream().filter(path -> !printing.contains(path)).findFirst().get();
    long size = Files.size(server);
    assertTrue(size > Files.size(printing.get(0)), server + ": " + size + " bytes");

    // Then the ahead-of-time cache (Java 25): recorded by the next server, made only if it ends
    // well. A server logging JSON writes JSON only, without the JDK's line about its recording.
    String recording =
        run(
            home,
            cache,
            1,
            Map.of("ODAHU_LOG_FORMAT", "json"),
            "serve",
            temp.resolve("no-such-model").toString());
    assertTrue(recording.lines().allMatch(line -> line.startsWith("{\"time\":")), recording);
    assertTrue(recording.contains("Model artifact not found"), recording);
    assertEquals(written, settled(cache), "a server that failed to start leaves no cache");
    serve(cache, true);
    List<Path> cached = settled(cache);
    assertEquals(3, cached.size(), "the server's ahead-of-time cache: " + cached);
    Path aot = cached.stream().filter(path -> !written.contains(path)).findFirst().get();
    assertTrue(aot.getFileName().toString().endsWith(".aot"), aot.toString());
    serve(cache, true, aot);
    assertEquals(cached, settled(cache), "later servers use it");
  }

  /**
   * The cache's files once no recording is left: the process that turns a server's recording into
   * its cache (or deletes it) runs after the server has gone.
   */
  private static List<Path> settled(Path cache) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    List<Path> files = archives(cache);
    while (files.stream().anyMatch(path -> path.getFileName().toString().matches(".*\\.aot\\..*"))
        && System.nanoTime() < deadline) {
      Thread.sleep(100);
      files = archives(cache);
    }
    return files;
  }

  @Test
  void aServerTrackingNativeMemoryRecordsNoCacheAndReportsIt() throws Exception {
    Path cache = temp.resolve("cache");
    Map<String, String> tracking =
        Map.of("ODAHU_PACK_JAVA_OPTS", "-XX:NativeMemoryTracking=summary");
    // Its own options, its own archive.
    serve(cache, true, tracking, server -> {});
    List<Path> written = archives(cache);
    // The next server would record the ahead-of-time cache, and a recording JVM crashes when asked
    // for its native memory summary (JDK 25.0.3).
    serve(
        cache,
        true,
        tracking,
        server -> {
          Process jcmd =
              new ProcessBuilder(
                      Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                      Long.toString(server.pid()),
                      "VM.native_memory",
                      "summary")
                  .redirectErrorStream(true)
                  .start();
          String report = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
          assertTrue(jcmd.waitFor(1, TimeUnit.MINUTES), report);
          assertTrue(report.contains("Java Heap (reserved="), report);
          Thread.sleep(500);
          assertTrue(server.isAlive(), "the server died of its native memory report");
        });
    assertEquals(written, settled(cache), "a server tracking native memory records no cache");
  }

  /** What a test checks while a server it started is up. */
  private interface WhileUp {
    void check(Process server) throws Exception;
  }

  private void serve(Path cache, boolean predict) throws Exception {
    serve(cache, predict, null);
  }

  /** As below; with {@code mapped}, the server's JVM must have that file mapped. */
  private void serve(Path cache, boolean predict, Path mapped) throws Exception {
    serve(
        cache,
        predict,
        Map.of(),
        server -> {
          if (mapped != null) {
            String maps = Files.readString(Path.of("/proc", Long.toString(server.pid()), "maps"));
            assertTrue(maps.contains(mapped.toString()), mapped + " is not mapped:\n" + maps);
          }
        });
  }

  /**
   * {@code odahu-pack serve} of the simple model with {@code environment} until it is ready and, if
   * {@code predict}, has answered a prediction; then {@code whileUp}, then SIGTERM, which must end
   * it with status 0.
   */
  private void serve(Path cache, boolean predict, Map<String, String> environment, WhileUp whileUp)
      throws Exception {
    int port = Launcher.freeLoopbackPort();
    Path log = Files.createTempFile(temp, "serve", ".log");
    ProcessBuilder builder = Launcher.serveSimple(port).redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    builder.environment().put("ODAHU_PACK_CACHE", cache.toString());
    Process server = builder.start();
    try (HttpClient client = HttpClient.newHttpClient()) {
      URI base = URI.create("http://127.0.0.1:" + port);
      HttpRequest request =
          predict
              ? HttpRequest.newBuilder(base.resolve("/api/model/invoke"))
                  .POST(
                      BodyPublishers.ofString("{\"columns\": [\"a\", \"b\"], \"data\": [[1, 2]]}"))
                  .header("Content-Type", "application/json")
                  .build()
              : HttpRequest.newBuilder(base.resolve("/healthcheck")).build();
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
      int status = 0;
      while (status != 200 && System.nanoTime() < deadline && server.isAlive()) {
        try {
          status = client.send(request, BodyHandlers.discarding()).statusCode();
        } catch (IOException notYet) {
          Thread.sleep(50);
        }
      }
      assertEquals(200, status, Files.readString(log));
      whileUp.check(server);
    } finally {
      server.destroy();
    }
    assertTrue(server.waitFor(1, TimeUnit.MINUTES), Files.readString(log));
    assertEquals(0, server.exitValue(), Files.readString(log));
  }

  /** {@code odahu-pack --version}: stdout and stderr together, which must hold only the version. */
  private static String version(Path dist, Path cache) throws Exception {
    return run(dist, cache, 0, "--version");
  }

  private static String run(Path dist, Path cache, int exitCode, String... args) throws Exception {
    return run(dist, cache, exitCode, Map.of(), args);
  }

  private static String run(
      Path dist, Path cache, int exitCode, Map<String, String> environment, String... args)
      throws Exception {
    List<String> command =
        new ArrayList<>(List.of("bash", dist.resolve("bin/odahu-pack").toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("ODAHU_PACK_CACHE", cache.toString());
    builder.environment().putAll(environment);
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
