package org.odahu.pack.packager.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's {@code docker-registry} (CNCF distribution) on 127.0.0.1 with its own configuration:
 * file storage in a test directory, optionally htpasswd authentication. Stopped by {@link #close}.
 */
public final class LocalRegistry implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path storage;

  private LocalRegistry(Process process, int port, Path storage) {
    this.process = process;
    this.port = port;
    this.storage = storage;
  }

  /** Starts a registry without authentication. */
  public static LocalRegistry start(Path directory) throws IOException, InterruptedException {
    return start(directory, null, null);
  }

  /** Starts a registry; with a user and password it requires them (htpasswd, bcrypt). */
  public static LocalRegistry start(Path directory, String user, String password)
      throws IOException, InterruptedException {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    Path storage = Files.createDirectories(directory.resolve("storage"));
    StringBuilder config =
        new StringBuilder()
            .append("version: 0.1\n")
            .append("log:\n  level: warn\n")
            .append("storage:\n  filesystem:\n    rootdirectory: ")
            .append(storage)
            .append('\n')
            .append("  delete:\n    enabled: true\n")
            .append("http:\n  addr: 127.0.0.1:")
            .append(port)
            .append("\n  secret: odahu-pack-test\n");
    if (user != null) {
      Process htpasswd = new ProcessBuilder("htpasswd", "-Bbn", user, password).start();
      String line =
          new String(htpasswd.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (htpasswd.waitFor() != 0) {
        throw new IOException("htpasswd failed (is apache2-utils installed?)");
      }
      Path file = Files.writeString(directory.resolve("htpasswd"), line + "\n");
      config
          .append("auth:\n  htpasswd:\n    realm: odahu-pack-test\n    path: ")
          .append(file)
          .append('\n');
    }
    Path configFile = Files.writeString(directory.resolve("config.yml"), config);
    Process process =
        new ProcessBuilder("docker-registry", "serve", configFile.toString())
            .redirectErrorStream(true)
            .redirectOutput(directory.resolve("registry.log").toFile())
            .start();
    LocalRegistry registry = new LocalRegistry(process, port, storage);
    registry.awaitReady();
    return registry;
  }

  private void awaitReady() throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < until) {
      if (!process.isAlive()) {
        throw new IOException("docker-registry exited with " + process.exitValue());
      }
      try {
        HttpResponse<Void> response =
            client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/")).build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200 || response.statusCode() == 401) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(50);
    }
    throw new IOException("docker-registry did not start");
  }

  /** {@code 127.0.0.1:PORT}. */
  public String address() {
    return "127.0.0.1:" + port;
  }

  /** Bytes the registry stores (blobs and manifests). */
  public long storedBytes() throws IOException {
    try (Stream<Path> files = Files.walk(storage)) {
      long total = 0;
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        total += Files.size(file);
      }
      return total;
    }
  }

  /** Copies an image out of the registry into a docker-archive tarball with skopeo. */
  public Path pull(String reference, Path tarball, String credentials)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(List.of("skopeo", "copy", "--quiet", "--src-tls-verify=false"));
    if (credentials != null) {
      command.addAll(List.of("--src-creds", credentials));
    }
    command.addAll(List.of("docker://" + reference, "docker-archive:" + tarball));
    Process skopeo = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(skopeo.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (skopeo.waitFor() != 0) {
      throw new IOException("skopeo copy failed: " + output);
    }
    return tarball;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
