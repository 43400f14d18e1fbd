package org.odahu.pack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.packager.testing.TestPackagers;

/**
 * The distribution's own launcher, stopped by a signal while it works: whatever it extracted or
 * wrote to its temporary directory ({@code java.io.tmpdir}, private to each run here) is gone once
 * it has exited.
 */
class TemporaryFilesIT {
  @TempDir Path temp;
  private Path tmpdir;
  private final List<ProcessHandle> started = new ArrayList<>();

  @BeforeEach
  void privateTemporaryDirectory() throws IOException {
    tmpdir = Files.createDirectories(temp.resolve("tmp"));
  }

  /** The launcher and the workers it started, which may outlive it (init() sleeps on). */
  @AfterEach
  void stopWhatWasStarted() {
    started.forEach(ProcessHandle::destroyForcibly);
  }

  private Process odahuPack(List<String> arguments) throws IOException {
    // SIGINT at its default even in a build started in the background, where it is ignored and
    // the JVM would not see it (the run would end only when init() does, a minute later).
    ProcessBuilder builder =
        Launcher.foregroundJob(Launcher.builder("odahu-pack", arguments))
            .redirectOutput(temp.resolve("output.log").toFile());
    builder.environment().put("ODAHU_PACK_JAVA_OPTS", "-Djava.io.tmpdir=" + tmpdir);
    Process process = builder.start();
    started.add(process.toHandle());
    return process;
  }

  /** Waits until entries named {@code prefixes} exist in the temporary directory. */
  private void awaitTemporaryFiles(Process process, String... prefixes) throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < until) {
      List<String> names = temporaryFiles();
      if (Stream.of(prefixes).allMatch(p -> names.stream().anyMatch(n -> n.startsWith(p)))) {
        return;
      }
      assertTrue(process.isAlive(), () -> "exited early: " + log());
      Thread.sleep(20);
    }
    throw new AssertionError("no " + List.of(prefixes) + " in " + tmpdir + ": " + log());
  }

  private List<String> temporaryFiles() throws IOException {
    try (Stream<Path> files = Files.list(tmpdir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private void signalAndAssertNothingLeft(Process process, String signal) throws Exception {
    process.descendants().forEach(started::add);
    new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor();
    // Well before the slow model's init() (a minute) would end the run by itself.
    assertTrue(process.waitFor(20, TimeUnit.SECONDS), "still running after SIG" + signal);
    assertEquals(
        List.of(),
        temporaryFiles().stream().filter(name -> name.startsWith("odahu-")).toList(),
        () -> "left behind after SIG" + signal + "; output: " + log());
  }

  private String log() {
    try {
      return Files.readString(temp.resolve("output.log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return e.toString();
    }
  }

  /** The slowinit test model (its init() sleeps a minute) as an ODAHU gzip tarball. */
  private Path slowModelArchive() throws IOException {
    Path source = Examples.testModel("slowinit");
    Path archive = temp.resolve("slowinit.zip");
    try (TarArchiveOutputStream tar =
            new TarArchiveOutputStream(new GZIPOutputStream(Files.newOutputStream(archive)));
        Stream<Path> files = Files.walk(source)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        TarArchiveEntry entry = new TarArchiveEntry(file, "./" + source.relativize(file));
        tar.putArchiveEntry(entry);
        Files.copy(file, tar);
        tar.closeArchiveEntry();
      }
    }
    return archive;
  }

  @Test
  void infoStoppedWhileTheModelStartsLeavesNeitherTheArtifactNorTheWorkerScript() throws Exception {
    Process info =
        odahuPack(List.of("info", slowModelArchive().toString(), "--python=" + Examples.python()));
    awaitTemporaryFiles(info, "odahu-artifact-", "odahu-gppi-");
    signalAndAssertNothingLeft(info, "INT");
  }

  @Test
  void serveStoppedWhileTheModelStartsLeavesNothing() throws Exception {
    Process serve =
        odahuPack(
            List.of(
                "serve",
                slowModelArchive().toString(),
                "--host=127.0.0.1",
                "--port=0",
                "--python=" + Examples.python()));
    awaitTemporaryFiles(serve, "odahu-artifact-", "odahu-gppi-");
    signalAndAssertNothingLeft(serve, "TERM");
  }

  @Test
  void packRunStoppedWhileItWaitsForTheRegistryLeavesNoExtractedArtifact() throws Exception {
    try (ServerSocket silent = new ServerSocket(0)) {
      // A registry that accepts connections and never answers: the packaging waits on it.
      List<Socket> accepted = new CopyOnWriteArrayList<>();
      Thread.ofVirtual()
          .start(
              () -> {
                try {
                  while (true) {
                    accepted.add(silent.accept());
                  }
                } catch (IOException closed) {
                  // the test is over
                }
              });
      Path manifest =
          Files.writeString(
              temp.resolve("packaging.yaml"),
              ("kind: Connection\nid: silent\nspec: {type: docker, uri: '127.0.0.1:%d/odahu'}\n"
                      + "---\nkind: ModelPackaging\nid: wine\nspec: {artifactName: wine.zip,"
                      + " integrationName: docker-rest, targets: [{name: docker-push,"
                      + " connectionName: silent}]}\n")
                  .formatted(silent.getLocalPort()));
      Path artifacts = Files.createDirectories(temp.resolve("artifacts"));
      Files.copy(Examples.gzipTarball("wine"), artifacts.resolve("wine.zip"));
      List<String> cachedBefore = TestPackagers.packagingWorkDirectories();
      Process pack =
          odahuPack(
              List.of(
                  "pack",
                  "run",
                  "--id=wine",
                  "-f",
                  manifest.toString(),
                  "--artifact-path",
                  artifacts.toString(),
                  "--no-disable-package-targets",
                  "--result-dir",
                  temp.toString()));
      awaitTemporaryFiles(pack, "odahu-artifact-");
      signalAndAssertNothingLeft(pack, "TERM");
      // Its work directory in the user's cache (the launcher's here) too, even when created while
      // the shutdown hook ran.
      assertEquals(cachedBefore, TestPackagers.packagingWorkDirectories(), this::log);
      for (Socket socket : accepted) {
        socket.close();
      }
    }
  }
}
