package org.odahu.pack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.testing.Examples;

/**
 * A signal to the whole process group, as a terminal's Ctrl-C sends SIGINT, and as systemd's stop
 * (every process of the unit's control group), {@code kill -TERM -- -PGID} and dumb-init send
 * SIGTERM: the Python workers get it too and do nothing, and the JVM decides. {@code serve}
 * finishes the model call in flight and exits 0 as after a SIGTERM to the JVM alone, no worker
 * reported lost; {@code predict} stops at once and takes its worker with it, which would otherwise
 * go on computing its chunk with nobody to read it.
 */
class GroupSignalsIT {
  @TempDir Path temp;
  private Process server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.descendants().forEach(ProcessHandle::destroyForcibly);
      server.destroyForcibly();
    }
  }

  @Test
  void aCallInFlightIsAnsweredWhenTheWholeGroupGetsSigterm() throws Exception {
    int port = Launcher.freeLoopbackPort();
    Path log = temp.resolve("serve.log");
    HttpClient client = serveUnruly(port, log);

    CompletableFuture<HttpResponse<String>> answer =
        client.sendAsync(invoke(port, "[\"sleep\", 2]"), HttpResponse.BodyHandlers.ofString());
    Thread.sleep(700); // the worker is inside the model's call
    assertFalse(answer.isDone(), () -> read(log));
    new ProcessBuilder("kill", "-TERM", "--", "-" + server.pid()).start().waitFor();

    HttpResponse<String> response = answer.get(60, TimeUnit.SECONDS);
    assertEquals(200, response.statusCode(), () -> response.body() + "\n" + read(log));
    assertTrue(response.body().contains("sleep"), response.body());
    assertTrue(server.waitFor(60, TimeUnit.SECONDS), () -> read(log));
    assertEquals(0, server.exitValue(), () -> read(log));
    assertFalse(read(log).contains(" lost"), () -> read(log));
  }

  @Test
  void aHangupStopsTheServerAsSigtermDoes() throws Exception {
    int port = Launcher.freeLoopbackPort();
    Path log = temp.resolve("serve.log");
    HttpClient client = serveUnruly(port, log);
    CompletableFuture<HttpResponse<String>> answer =
        client.sendAsync(invoke(port, "[\"sleep\", 1]"), HttpResponse.BodyHandlers.ofString());
    Thread.sleep(500); // the worker is inside the model's call
    // The terminal it ran in was closed: the call is finished, then the server stops with 0.
    new ProcessBuilder("kill", "-HUP", Long.toString(server.pid())).start().waitFor();
    assertEquals(200, answer.get(60, TimeUnit.SECONDS).statusCode(), () -> read(log));
    assertTrue(server.waitFor(60, TimeUnit.SECONDS), () -> read(log));
    assertEquals(0, server.exitValue(), () -> read(log));
    assertTrue(read(log).contains(" - Stopped"), () -> read(log));
  }

  @Test
  void ctrlCStopsPredictAndItsWorkerAtOnce() throws Exception {
    Path input = Files.writeString(temp.resolve("request.json"), "{\"data\": [[\"sleep\", 60]]}");
    Path output = temp.resolve("out");
    Path log = temp.resolve("predict.log");
    server =
        Launcher.foregroundJob(
                Launcher.builder(
                        "odahu-pack",
                        List.of(
                            "predict",
                            Examples.testModel("unruly").toString(),
                            input.toString(),
                            output.toString(),
                            "--python=" + Examples.python()))
                    .redirectOutput(log.toFile()))
            .start();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!read(log).contains("is ready")) {
      assertTrue(server.isAlive() && System.nanoTime() < until, () -> read(log));
      Thread.sleep(50);
    }
    Thread.sleep(700); // the worker is inside the model's call
    List<ProcessHandle> workers = server.descendants().toList();
    assertFalse(workers.isEmpty(), () -> read(log));
    new ProcessBuilder("kill", "-INT", "--", "-" + server.pid()).start().waitFor();

    assertTrue(server.waitFor(20, TimeUnit.SECONDS), () -> read(log));
    assertEquals(130, server.exitValue(), () -> read(log));
    long gone = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (workers.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < gone) {
      Thread.sleep(50);
    }
    assertFalse(workers.stream().anyMatch(ProcessHandle::isAlive), "the worker outlived predict");
    assertFalse(Files.exists(output.resolve("results.json")), () -> read(log));
  }

  @Test
  void aWorkerInACallAndItsHelpersEndWhenTheServerIsKilledOutright() throws Exception {
    int port = Launcher.freeLoopbackPort();
    Path log = temp.resolve("serve.log");
    Path helperPid = temp.resolve("helper.pid");
    HttpClient client = serveUnruly(port, log);
    HttpResponse<String> spawned =
        client.send(
            invoke(port, "[\"spawn\", 120, \"" + helperPid + "\"]"),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, spawned.statusCode(), spawned::body);
    CompletableFuture<HttpResponse<String>> sleeping =
        client.sendAsync(invoke(port, "[\"sleep\", 120]"), HttpResponse.BodyHandlers.ofString());
    Thread.sleep(700); // the worker is inside the model's call
    assertFalse(sleeping.isDone(), () -> read(log));
    ProcessHandle helper =
        ProcessHandle.of(Long.parseLong(Files.readString(helperPid).strip())).orElseThrow();
    List<ProcessHandle> workers = server.children().toList();
    assertFalse(workers.isEmpty(), () -> read(log));

    server.destroyForcibly(); // SIGKILL: the JVM stops nothing
    assertTrue(server.waitFor(10, TimeUnit.SECONDS));
    long gone = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while ((helper.isAlive() || workers.stream().anyMatch(ProcessHandle::isAlive))
        && System.nanoTime() < gone) {
      Thread.sleep(50);
    }
    assertFalse(workers.stream().anyMatch(ProcessHandle::isAlive), "the worker outlived serve");
    assertFalse(helper.isAlive(), "the model's helper outlived serve");
  }

  /**
   * Starts {@code serve} of the unruly test model as a foreground job; returns once it is ready.
   */
  private HttpClient serveUnruly(int port, Path log) throws Exception {
    ProcessBuilder builder =
        Launcher.serve(Examples.testModel("unruly"), port).redirectOutput(log.toFile());
    server = Launcher.foregroundJob(builder).start();
    HttpClient client = HttpClient.newHttpClient();
    awaitReady(client, port, log);
    return client;
  }

  private static HttpRequest invoke(int port, String row) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/model/invoke"))
        .header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(150))
        .POST(HttpRequest.BodyPublishers.ofString("{\"data\": [" + row + "]}"))
        .build();
  }

  private static void awaitReady(HttpClient client, int port, Path log) throws Exception {
    HttpRequest ready =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready")).build();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (true) {
      try {
        if (client.send(ready, HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      assertTrue(System.nanoTime() < until, () -> "not ready in 120 s:\n" + read(log));
      Thread.sleep(50);
    }
  }

  private static String read(Path log) {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return e.toString();
    }
  }
}
