package org.odahu.pack.server.capture.s3;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.server.testing.ServerMainCommand;

/**
 * {@code odahu-pack serve} in a child JVM, as a docker-rest image runs it, with the AWS settings of
 * a test and nothing from this machine's environment or {@code ~/.aws}; stopped with SIGTERM.
 */
final class ServerProcess implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private static final Pattern COUNTS =
      Pattern.compile("Capture: ([\\d,]+) record\\(s\\) written, ([\\d,]+) dropped");

  private final Process process;
  private final Path log;
  private final int port;

  private ServerProcess(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /**
   * Starts the echo model with {@code args}, the AWS credentials given and {@code environment}
   * (e.g. {@code ODAHU_*} settings), and waits until it is ready.
   */
  static ServerProcess start(
      Path temp,
      String accessKey,
      String secretKey,
      Map<String, String> environment,
      String... args)
      throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    List<String> command =
        ServerMainCommand.of(
            Examples.artifact("echo").toString(),
            "--host=127.0.0.1",
            "--port=" + port,
            "--python=" + Examples.python(),
            "--no-access-log");
    command.addAll(List.of(args));
    Path log = Files.createTempFile(temp, "server", ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(name -> name.startsWith("AWS_") || name.startsWith("ODAHU_"));
    env.put("AWS_ACCESS_KEY_ID", accessKey);
    env.put("AWS_SECRET_ACCESS_KEY", secretKey);
    env.put("AWS_CONFIG_FILE", temp.resolve("no-aws-config").toString());
    env.put("AWS_SHARED_CREDENTIALS_FILE", temp.resolve("no-aws-credentials").toString());
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    env.putAll(environment);
    ServerProcess server = new ServerProcess(builder.start(), log, port);
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!server.ready()) {
      if (!server.process.isAlive() || System.nanoTime() > until) {
        throw new AssertionError("server did not become ready:\n" + server.log());
      }
      Thread.sleep(100);
    }
    return server;
  }

  private boolean ready() {
    try {
      return get("/health/ready").statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Invokes the echo model; the answer's {@code Request-ID} names its capture records. */
  HttpResponse<String> invoke(String body) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(uri("/api/model/invoke"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Sends feedback for {@code requestId} to the echo model. */
  HttpResponse<String> feedback(String requestId, String body)
      throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(uri("/api/v1/feedback/model/echo"))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .header("request-id", requestId)
            .header("model-name", "echo")
            .header("model-version", "1.0")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** Everything the server printed so far, stdout and stderr. */
  String log() throws IOException {
    return Files.readString(log);
  }

  /** SIGTERM, then waits for the exit; returns the exit code. */
  int sigterm() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the server did not stop within 90 s of SIGTERM");
    }
    return process.exitValue();
  }

  /** The capture counts the server logged when it stopped: written, dropped. */
  long[] finalCounts() throws IOException {
    Matcher counts = COUNTS.matcher(log());
    if (!counts.find()) {
      throw new AssertionError("no capture counts in the log:\n" + log());
    }
    return new long[] {
      Long.parseLong(counts.group(1).replace(",", "")),
      Long.parseLong(counts.group(2).replace(",", ""))
    };
  }

  @Override
  public void close() {
    try {
      System.out.println("---- server log ----\n" + log());
    } catch (IOException e) {
      // no log to show
    }
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
