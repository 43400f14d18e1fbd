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
 * {@code odahu-pack serve} stopped by SIGTERM to its whole process group, as systemd stops a
 * service (every process of its control group), as {@code kill -TERM -- -PGID} and as dumb-init
 * forward it: the Python workers get the signal too, yet the model call in flight is answered and
 * the server exits 0 as after a SIGTERM to the JVM alone, no worker reported lost.
 */
class ServeGroupSignalIT {
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
    ProcessBuilder builder =
        Launcher.builder(
                "odahu-pack",
                List.of(
                    "serve",
                    Examples.testModel("unruly").toString(),
                    "--python=" + Examples.python(),
                    "--host=127.0.0.1",
                    "--port=" + port))
            .redirectOutput(log.toFile());
    // A session (and process group) of its own, SIGTERM at its default whatever this build's was.
    builder
        .command()
        .addAll(
            0,
            List.of(
                "setsid",
                "/usr/bin/python3",
                "-c",
                "import os, signal, sys; signal.signal(signal.SIGTERM, signal.SIG_DFL);"
                    + " os.execvp(sys.argv[1], sys.argv[1:])"));
    server = builder.start();
    HttpClient client = HttpClient.newHttpClient();
    awaitReady(client, port, log);

    HttpRequest sleepy =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/model/invoke"))
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.ofString("{\"data\": [[\"sleep\", 2]]}"))
            .build();
    CompletableFuture<HttpResponse<String>> answer =
        client.sendAsync(sleepy, HttpResponse.BodyHandlers.ofString());
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
