package org.odahu.pack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.pydeps.testing.TarImages;

/**
 * {@code image run}, the distribution's launcher, stopped as {@code docker run} is: SIGTERM to it,
 * or Ctrl-C to its terminal's process group. The container's main process gets the signal and stops
 * gracefully, the command exits with its status, and the unpacked rootfs is gone.
 */
class ImageRunSignalsIT {
  /** Stops on SIGTERM or SIGINT, saying which it got, with a status of its own. */
  private static final String CONTAINER =
      "trap 'echo TERM > /out/stopped; exit 7' TERM; trap 'echo INT >> /out/stopped; exit 8' INT;"
          + " echo up > /out/started; while :; do sleep 0.1; done";

  @TempDir Path temp;
  private Path tmpdir;
  private Path out;
  private final List<ProcessHandle> started = new ArrayList<>();

  @BeforeEach
  void directories() throws IOException {
    tmpdir = Files.createDirectories(temp.resolve("tmp"));
    out = Files.createDirectories(temp.resolve("out"));
  }

  @AfterEach
  void stopWhatWasStarted() {
    started.forEach(ProcessHandle::destroyForcibly);
  }

  /** An image of a few links: the host's /usr, bound read-only, provides the shell. */
  private Path image() throws IOException {
    return TarImages.dockerSave(
        temp.resolve("image.tar"),
        List.of(
            new TarImages.Layer()
                .symlink("bin", "usr/bin")
                .symlink("lib", "usr/lib")
                .symlink("lib64", "usr/lib64")
                .file("usr/.keep", new byte[0], 0644)
                .file("out/.keep", new byte[0], 0644)),
        Map.of("PATH", "/usr/bin:/bin"),
        "amd64");
  }

  /** {@code image run} in a session of its own, as a shell's foreground job. */
  private Process imageRun() throws IOException, InterruptedException {
    ProcessBuilder builder =
        Launcher.builder(
                "odahu-pack",
                List.of(
                    "image",
                    "run",
                    image().toString(),
                    "-v",
                    "/usr:/usr:ro",
                    "-v",
                    out + ":/out",
                    "--",
                    "/bin/sh",
                    "-c",
                    CONTAINER))
            .redirectOutput(temp.resolve("output.log").toFile());
    Launcher.foregroundJob(builder);
    builder.environment().put("ODAHU_PACK_JAVA_OPTS", "-Djava.io.tmpdir=" + tmpdir);
    Process process = builder.start();
    started.add(process.toHandle());
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!Files.exists(out.resolve("started"))) {
      assertTrue(process.isAlive(), this::log);
      assertTrue(System.nanoTime() < until, this::log);
      Thread.sleep(20);
    }
    process.descendants().forEach(started::add);
    return process;
  }

  private void assertStoppedGracefully(Process process, String signal, int status)
      throws Exception {
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "still running after SIG" + signal);
    assertEquals(signal + "\n", Files.readString(out.resolve("stopped")), this::log);
    assertEquals(status, process.exitValue(), this::log);
    try (Stream<Path> left = Files.list(tmpdir)) {
      assertEquals(List.of(), left.toList(), "the unpacked rootfs is left behind");
    }
  }

  @Test
  void sigtermReachesTheContainersMainProcessAndItsStatusIsTheExitStatus() throws Exception {
    Process run = imageRun();
    new ProcessBuilder("kill", "-TERM", Long.toString(run.pid())).start().waitFor();
    assertStoppedGracefully(run, "TERM", 7);
  }

  @Test
  void ctrlCReachesTheContainerThroughOdahuPack() throws Exception {
    Process run = imageRun();
    // What a terminal's Ctrl-C does: SIGINT to every process of the foreground process group.
    new ProcessBuilder("kill", "-INT", "--", "-" + run.pid()).start().waitFor();
    // Where the JVM cannot take SIGINT (a build started in the background), the shutdown hook
    // stops the container with SIGTERM instead: gracefully either way.
    boolean term = run.waitFor(60, TimeUnit.SECONDS) && "TERM\n".equals(stopped());
    assertStoppedGracefully(run, term ? "TERM" : "INT", term ? 7 : 8);
  }

  private String stopped() throws IOException {
    Path file = out.resolve("stopped");
    return Files.exists(file) ? Files.readString(file) : "";
  }

  private String log() {
    try {
      return Files.readString(temp.resolve("output.log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return e.toString();
    }
  }
}
