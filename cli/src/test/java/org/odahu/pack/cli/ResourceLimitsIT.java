package org.odahu.pack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.testing.Examples;

/**
 * The distribution when the system refuses what it needs: a full disk under standard output ({@code
 * /dev/full}) or under {@code --output} (a file size limit, which stops a write part-way as a full
 * disk does), and too few file descriptors.
 */
class ResourceLimitsIT {
  @TempDir Path temp;

  /** A finished run's standard error and exit status. */
  private record Run(int status, String err) {}

  private Run run(ProcessBuilder builder) throws Exception {
    builder.redirectErrorStream(false);
    builder.environment().put("ODAHU_PACK_CACHE", temp.resolve("cache").toString());
    Process process = builder.start();
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(2, TimeUnit.MINUTES), err);
    return new Run(process.exitValue(), err);
  }

  @Test
  void everyCommandThatPrintsFailsWhenStandardOutputIsFull() throws Exception {
    List<List<String>> commands =
        List.of(
            List.of("--version"), // printed without picocli
            List.of("--help"), // a page rendered at build time
            List.of("deploy", "--version"),
            List.of("completion", "bash"),
            List.of("deploy", "manifests", "--image", "odahu/wine:1.0"),
            List.of(
                "info", Examples.artifact("simple").toString(), "--python=" + Examples.python()));
    for (List<String> command : commands) {
      Run run = run(Launcher.builder("odahu-pack", command).redirectOutput(new File("/dev/full")));
      assertEquals(1, run.status(), command + ": " + run.err());
      assertTrue(
          run.err().endsWith("Error: Cannot write to standard output\n"),
          command + ": " + run.err());
    }
  }

  /** {@code odahu-pack ... | head -1}: the reader goes, and the command ends as a shell's would. */
  @Test
  void aClosedPipeEndsTheCommandQuietly() throws Exception {
    for (List<String> command :
        List.of(
            List.of("--version"),
            List.of("completion", "bash"),
            List.of("deploy", "manifests", "--image", "odahu/wine:1.0"))) {
      Process process = Launcher.builder("odahu-pack", command).redirectErrorStream(false).start();
      process.getInputStream().close(); // before the JVM has written anything
      String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(process.waitFor(2, TimeUnit.MINUTES), err);
      assertEquals(141, process.exitValue(), command + ": " + err);
      assertEquals("", err, command.toString());
    }
  }

  /** Manifests cut off by the limit would pass for whole ones: the directory stays empty. */
  @Test
  void manifestsThatDoNotFitLeaveNoFileBehind() throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/prlimit")), "prlimit (util-linux) is not installed");
    Path dir = Files.createDirectories(temp.resolve("manifests"));
    ProcessBuilder builder =
        Launcher.builder(
            "odahu-pack",
            List.of(
                "deploy", "manifests", "--image", "odahu/wine:1.0", "--output", dir.toString()));
    builder.command().addAll(0, List.of("/usr/bin/prlimit", "--fsize=2000"));
    builder.environment().put("ODAHU_PACK_JAVA_OPTS", "-XX:-UsePerfData");
    Run run = run(builder);
    assertEquals(1, run.status(), run.err());
    assertEquals(
        "Error: Cannot write "
            + dir.resolve("kubernetes-wine-deployment.yaml")
            + ": File too large\n",
        run.err());
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(), files.toList());
    }
  }

  /**
   * The JVM fails wherever it runs out (a class, a native library): the launcher refuses first, in
   * one line, before Java starts.
   */
  @Test
  void tooFewFileDescriptorsAreOneLineBeforeJavaStarts() throws Exception {
    ProcessBuilder builder =
        Launcher.builder(
            "odahu-pack", List.of("serve", Examples.artifact("simple").toString(), "--port=0"));
    builder.command().addAll(0, List.of("bash", "-c", "ulimit -n 80 && exec \"$@\"", "bash"));
    long started = System.nanoTime();
    Run run = run(builder);
    assertEquals(1, run.status(), run.err());
    assertEquals(
        "odahu-pack: the limit on open files is 80 (ulimit -Hn); odahu-pack needs at least 256:"
            + " raise it (ulimit -n 4096) and start again\n",
        run.err());
    assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(10));
  }

  /** Access-log lines stdout refuses are counted as dropped and said so in the server's log. */
  @Test
  void accessLogLinesLostToAFullDiskAreCountedAndReported() throws Exception {
    int port = Launcher.freeLoopbackPort();
    Path log = temp.resolve("serve.log");
    ProcessBuilder builder =
        Launcher.serveSimple(port)
            .redirectErrorStream(false)
            .redirectOutput(new File("/dev/full"))
            .redirectError(log.toFile());
    builder.environment().put("ODAHU_PACK_CACHE", temp.resolve("cache").toString());
    Process server = builder.start();
    try (HttpClient client = HttpClient.newHttpClient()) {
      // Answers before the model is ready (503) would be logged, and dropped, too: waits until it
      // is, and until the server listens (the model may be ready first).
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
      while (!(Files.readString(log).contains(" is ready (")
              && Files.readString(log).contains("Serving "))
          && System.nanoTime() < deadline) {
        assertTrue(server.isAlive(), Files.readString(log));
        Thread.sleep(50);
      }
      URI base = URI.create("http://127.0.0.1:" + port);
      HttpRequest predict =
          HttpRequest.newBuilder(base.resolve("/api/model/invoke"))
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      "{\"columns\": [\"a\", \"b\"], \"data\": [[1, 2]]}"))
              .header("Content-Type", "application/json")
              .build();
      assertEquals(
          200, client.send(predict, BodyHandlers.discarding()).statusCode(), Files.readString(log));
      HttpRequest metrics = HttpRequest.newBuilder(base.resolve("/metrics")).build();
      String dropped = "";
      while (!dropped.endsWith(" 1.0") && System.nanoTime() < deadline) {
        Thread.sleep(20); // a scrape is not logged
        dropped =
            client
                .send(metrics, BodyHandlers.ofString())
                .body()
                .lines()
                .filter(line -> line.startsWith("odahu_access_log_dropped_lines_total"))
                .findFirst()
                .orElse("");
      }
      assertTrue(dropped.endsWith(" 1.0"), dropped);
    } finally {
      server.destroy();
    }
    assertTrue(server.waitFor(1, TimeUnit.MINUTES), Files.readString(log));
    String logged = Files.readString(log);
    assertEquals(0, server.exitValue(), "the server's own output went elsewhere: " + logged);
    assertTrue(
        logged.contains(
            "Dropped 1 access-log line(s) (1 in all): writing to stdout failed: No space left on"
                + " device"),
        logged);
  }
}
