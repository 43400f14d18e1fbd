package org.odahu.pack.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.server.testing.RawHttp;
import org.odahu.pack.server.testing.RawHttp.Connection;
import org.odahu.pack.server.testing.RawHttp.Response;
import org.odahu.pack.server.testing.ServerMainCommand;

/**
 * A flood of idle connections against a server process whose file descriptor limit is 512: the
 * connection cap keeps descriptors for everything else, idle connections are closed at the request
 * deadline, and a client arriving afterwards is served.
 */
class ConnectionFloodIT {
  @TempDir Path temp;

  @Test
  void idleConnectionsNeitherExhaustDescriptorsNorLockClientsOut() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    Path log = temp.resolve("server.log");
    List<String> command = new ArrayList<>(List.of("prlimit", "--nofile=512:512"));
    command.addAll(
        ServerMainCommand.withClassPath(
            // The jars an image runs: the test class path holds hundreds more, and the JVM keeps a
            // descriptor open for each jar it has searched.
            Path.of(System.getProperty("odahu.runtime.lib"), "*").toString(),
            Examples.artifact("echo").toString(),
            "--host=127.0.0.1",
            "--port=" + port,
            "--python=" + Examples.python(),
            "--request-read-timeout=2",
            "--no-access-log"));
    Process server =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    List<Socket> flood = new ArrayList<>();
    try {
      ModelServerIT.waitFor(() -> served(port, Duration.ofSeconds(1)));
      for (int i = 0; i < 1500; i++) {
        flood.add(new Socket(InetAddress.getLoopbackAddress(), port));
      }
      long start = System.nanoTime();
      ModelServerIT.waitFor(() -> served(port, Duration.ofSeconds(2)));
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
      assertTrue(seconds < 10, "a client was locked out for " + seconds + " s");
    } finally {
      for (Socket socket : flood) {
        socket.close();
      }
      server.destroy();
      assertTrue(server.waitFor(60, TimeUnit.SECONDS), "the server did not stop");
    }
    String output = Files.readString(log);
    assertEquals(0, server.exitValue(), output);
    assertTrue(output.contains("Serving at most 256 connections, not 10000"), output);
    assertTrue(!output.contains("Too many open files"), output);
    long refusals = output.lines().filter(l -> l.contains("Refusing connections")).count();
    assertTrue(refusals >= 1 && refusals <= 2, output);
  }

  /** Whether a new client gets 200 from {@code /health/ready} within {@code timeout}. */
  private static boolean served(int port, Duration timeout) {
    try (Connection client = RawHttp.Connection.open(port)) {
      Response answer = client.send(RawHttp.get("/health/ready")).poll(timeout);
      return answer != null && answer.status() == 200;
    } catch (AssertionError | RuntimeException e) {
      return false;
    }
  }
}
