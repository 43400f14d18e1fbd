package org.odahu.pack.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.server.testing.ServerMainCommand;

/**
 * {@code serve --shutdown-delay}: after SIGTERM the server fails readiness at once but goes on
 * taking connections and answering them (each answer closing its connection) for the delay, so that
 * a load balancer's last requests are not refused; then it stops and exits 0. A second SIGTERM
 * stops at once.
 */
class ShutdownDelayIT {
  private static final Pattern SERVING =
      Pattern.compile(".*Serving \\S+ \\S+ on http://127\\.0\\.0\\.1:(\\d+).*");
  private static final String PREDICTION = "{\"data\": [[1, 2, 3, 4]]}";

  /** A request on a connection of its own: the status line and the headers, lower-cased. */
  private static String exchange(int port, String method, String path, String body)
      throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          (method
                  + " "
                  + path
                  + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                  + "Content-Length: "
                  + body.length()
                  + "\r\n\r\n"
                  + body)
              .getBytes(StandardCharsets.UTF_8));
      out.flush();
      // The head only: a kept-alive connection would not end the stream.
      InputStream in = socket.getInputStream();
      StringBuilder head = new StringBuilder();
      while (head.indexOf("\r\n\r\n") < 0) {
        int b = in.read();
        if (b < 0) {
          break;
        }
        head.append((char) b);
      }
      return head.toString().toLowerCase(Locale.ROOT);
    }
  }

  @Test
  void afterSigtermReadinessFailsButConnectionsAreStillServedForTheDelay() throws Exception {
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    Process server = startSimple(4, log);
    try {
      int port = port(log);
      awaitReadiness(port, 200);

      server.toHandle().destroy(); // SIGTERM (Process.destroy would also close our pipe)
      long stopped = System.nanoTime();
      awaitReadiness(port, 503);
      String answer = exchange(port, "POST", "/api/model/invoke", PREDICTION);
      assertTrue(answer.startsWith("http/1.1 200"), answer + "\n" + log);
      assertTrue(answer.contains("\r\nconnection: close"), answer);

      assertTrue(server.waitFor(60, TimeUnit.SECONDS), String.join("\n", log));
      assertEquals(0, server.exitValue(), String.join("\n", log));
      assertTrue(
          System.nanoTime() - stopped >= TimeUnit.SECONDS.toNanos(4),
          "stopped before the delay was over: " + log);
      assertTrue(
          log.stream().anyMatch(l -> l.contains("Shutting down in 4 s: readiness fails now")),
          String.join("\n", log));
    } finally {
      server.destroyForcibly();
    }
  }

  @Test
  void aSecondSigtermStopsAtOnceInsteadOfWaitingOutTheDelay() throws Exception {
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    Process server = startSimple(120, log);
    try {
      awaitReadiness(port(log), 200);
      server.toHandle().destroy();
      ModelServerIT.waitFor(() -> log.stream().anyMatch(l -> l.contains("Shutting down in 120 s")));
      long again = System.nanoTime();
      server.toHandle().destroy();
      assertTrue(server.waitFor(30, TimeUnit.SECONDS), String.join("\n", log));
      assertTrue(System.nanoTime() - again < TimeUnit.SECONDS.toNanos(30), String.join("\n", log));
      assertEquals(143, server.exitValue(), String.join("\n", log));
      assertTrue(
          log.stream().anyMatch(l -> l.contains("SIGTERM again: stopping now")),
          String.join("\n", log));
    } finally {
      server.destroyForcibly();
    }
  }

  @Test
  void aSecondSigtermAnswersTheRequestsWaitingForTheModel503AtOnceAndExits() throws Exception {
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    Process server =
        start(
            log,
            Examples.testModel("unruly").toString(),
            "--workers=1",
            "--timeout=20",
            "--shutdown-delay=0");
    try {
      int port = port(log);
      awaitReadiness(port, 200);
      // One request in the only worker's model call, one queued behind it.
      String sleep = "{\"data\": [[\"sleep\", 5]]}";
      List<CompletableFuture<String>> answers = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        // A thread each: the common pool may have only one on a small machine.
        answers.add(
            CompletableFuture.supplyAsync(
                () -> answer(port, sleep), task -> Thread.ofPlatform().daemon().start(task)));
      }
      ModelServerIT.waitFor(() -> metrics(port).contains("\nodahu_prediction_queue_depth 1.0"));

      server.toHandle().destroy();
      ModelServerIT.waitFor(() -> log.stream().anyMatch(l -> l.contains("Shutting down:")));
      long again = System.nanoTime();
      server.toHandle().destroy();
      List<String> got = new ArrayList<>();
      for (CompletableFuture<String> answer : answers) {
        got.add(answer.get(60, TimeUnit.SECONDS));
      }
      // Not 500 (a worker crash) for the one in the model, nor a closed connection (logged 499,
      // blaming the client) for the queued one.
      assertTrue(
          got.stream()
              .allMatch(
                  a ->
                      a.startsWith("http/1.1 503")
                          && a.contains("the model backend was stopped before answering")),
          got + "\n" + String.join("\n", log));
      long answered = System.nanoTime() - again;
      assertTrue(server.waitFor(30, TimeUnit.SECONDS), String.join("\n", log));
      long exited = System.nanoTime() - again;
      assertTrue(answered < TimeUnit.SECONDS.toNanos(2), answered / 1e9 + " s to answer");
      assertTrue(exited < TimeUnit.SECONDS.toNanos(3), exited / 1e9 + " s to exit: " + log);
      assertEquals(143, server.exitValue(), String.join("\n", log));
      // The access log blames neither request on its client (499).
      assertEquals(
          2,
          log.stream().filter(l -> l.contains("\"POST /api/model/invoke\" 503 ")).count(),
          String.join("\n", log));
    } finally {
      server.destroyForcibly();
    }
  }

  /** The whole answer to {@code body} posted to the invoke route, lower-cased; "" if none. */
  private static String answer(int port, String body) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(60_000);
      socket
          .getOutputStream()
          .write(
              ("POST /api/model/invoke HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                      + "Content-Type: application/json\r\nContent-Length: "
                      + body.length()
                      + "\r\n\r\n"
                      + body)
                  .getBytes(StandardCharsets.UTF_8));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
          .toLowerCase(Locale.ROOT);
    } catch (IOException e) {
      return e.toString();
    }
  }

  /** The server's metrics, or "" when it does not answer. */
  private static String metrics(int port) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(30_000);
      socket
          .getOutputStream()
          .write(
              "GET /metrics HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                  .getBytes(StandardCharsets.UTF_8));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** {@code serve simple} on a free port with {@code --shutdown-delay delay}, its output in log. */
  private static Process startSimple(int delay, List<String> log) throws IOException {
    return start(
        log, Examples.artifact("simple").toString(), "--shutdown-delay", Integer.toString(delay));
  }

  /** {@code serve artifact options} on a free port, its output in log. */
  private static Process start(List<String> log, String artifact, String... options)
      throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of(
                artifact,
                "--host=127.0.0.1",
                "--port=0",
                "--python",
                Examples.python().toString()));
    args.addAll(List.of(options));
    ProcessBuilder builder =
        new ProcessBuilder(ServerMainCommand.of(args.toArray(String[]::new)))
            .redirectErrorStream(true);
    builder.environment().keySet().removeIf(name -> name.startsWith("ODAHU_"));
    Process server = builder.start();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines = server.inputReader()) {
                lines.lines().forEach(log::add);
              } catch (IOException e) {
                log.add("read failed: " + e);
              }
            });
    reader.setDaemon(true);
    reader.start();
    return server;
  }

  /** Waits until {@code /health/ready} answers {@code status}. */
  private static void awaitReadiness(int port, int status) {
    ModelServerIT.waitFor(
        () -> {
          try {
            return exchange(port, "GET", "/health/ready", "").startsWith("http/1.1 " + status);
          } catch (IOException e) {
            return false;
          }
        });
  }

  private static int port(List<String> log) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < until) {
      synchronized (log) {
        for (String line : log) {
          Matcher serving = SERVING.matcher(line);
          if (serving.matches()) {
            return Integer.parseInt(serving.group(1));
          }
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("never served: " + log);
  }
}
