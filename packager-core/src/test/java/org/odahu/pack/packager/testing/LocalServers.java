package org.odahu.pack.packager.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Model servers the tests start from images or the distribution, on loopback. */
public final class LocalServers {
  private LocalServers() {}

  /** A loopback port free at the time of asking. */
  public static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0)) {
      return probe.getLocalPort();
    }
  }

  /**
   * Waits until the server on {@code port} answers {@code /health/ready} with 200; fails with the
   * server's {@code log} if {@code server} exits first or {@code limit} passes.
   */
  public static void awaitReady(HttpClient http, int port, Process server, Duration limit, Path log)
      throws Exception {
    long until = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < until) {
      assertTrue(server.isAlive(), () -> "server exited: " + read(log));
      try {
        HttpResponse<String> ready =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (ready.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("server not ready in " + limit.toSeconds() + " s: " + read(log));
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return e.toString();
    }
  }
}
