package org.odahu.pack.packager.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's {@code docker-registry} (CNCF distribution), plain HTTP, on 127.0.0.1 unless told
 * otherwise, with its own configuration: file storage in a test directory, optionally htpasswd or
 * token authentication, an access log to count uploads. Stopped by {@link #close}.
 */
public final class LocalRegistry implements AutoCloseable {
  /** A completed blob upload in the access log: the final PUT, answered 201. */
  private static final Pattern BLOB_UPLOAD =
      Pattern.compile(
          "\"PUT /v2/\\S+/blobs/uploads/\\S*[?&]digest=sha256(?::|%3A)([0-9a-f]{64})\\S* HTTP/[0-9.]+\" 201 ");

  private final Process process;
  private final String host;
  private final int port;
  private final Path log;

  private LocalRegistry(Process process, String host, int port, Path log) {
    this.process = process;
    this.host = host;
    this.port = port;
    this.log = log;
  }

  /** Starts a registry without authentication. */
  public static LocalRegistry start(Path directory) throws IOException, InterruptedException {
    return start(directory, null, null);
  }

  /** Starts a registry; with a user and password it requires them (htpasswd, bcrypt). */
  public static LocalRegistry start(Path directory, String user, String password)
      throws IOException, InterruptedException {
    return start(directory, "127.0.0.1", user, password);
  }

  /**
   * Starts a registry without authentication listening on {@code host} only (an IPv4 address or a
   * name the registry resolves).
   */
  public static LocalRegistry startOn(String host, Path directory)
      throws IOException, InterruptedException {
    return start(directory, host, null, null);
  }

  /**
   * Starts a registry that takes only the bearer tokens {@code tokens} issues (distribution's token
   * authentication): every request without one is challenged to get one there.
   */
  public static LocalRegistry startWithTokens(Path directory, TokenServer tokens)
      throws IOException, InterruptedException {
    return startWithAuth(
        directory,
        "127.0.0.1",
        "auth:\n  token:\n    realm: "
            + tokens.realm()
            + "\n    service: "
            + TokenServer.SERVICE
            + "\n    issuer: "
            + TokenServer.ISSUER
            + "\n    rootcertbundle: "
            + tokens.certificate()
            + "\n");
  }

  private static LocalRegistry start(Path directory, String host, String user, String password)
      throws IOException, InterruptedException {
    if (user == null) {
      return startWithAuth(directory, host, "");
    }
    Process htpasswd = new ProcessBuilder("htpasswd", "-Bbn", user, password).start();
    String line =
        new String(htpasswd.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (htpasswd.waitFor() != 0) {
      throw new IOException("htpasswd failed (is apache2-utils installed?)");
    }
    Path file = Files.writeString(directory.resolve("htpasswd"), line + "\n");
    return startWithAuth(
        directory,
        host,
        "auth:\n  htpasswd:\n    realm: odahu-pack-test\n    path: " + file + "\n");
  }

  /** Starts a registry with {@code auth}, its configuration's auth section (or none). */
  private static LocalRegistry startWithAuth(Path directory, String host, String auth)
      throws IOException, InterruptedException {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    Path storage = Files.createDirectories(directory.resolve("storage"));
    String config =
        "version: 0.1\n"
            + "log:\n  level: warn\n"
            + "storage:\n  filesystem:\n    rootdirectory: "
            + storage
            + "\n  delete:\n    enabled: true\n"
            + "http:\n  addr: "
            + host
            + ':'
            + port
            + "\n  secret: odahu-pack-test\n"
            + auth;
    Path configFile = Files.writeString(directory.resolve("config.yml"), config);
    Path log = directory.resolve("registry.log");
    Process process =
        new ProcessBuilder("docker-registry", "serve", configFile.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    LocalRegistry registry = new LocalRegistry(process, host, port, log);
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
                HttpRequest.newBuilder(URI.create("http://" + address() + "/v2/")).build(),
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

  /** {@code HOST:PORT}, e.g. {@code 127.0.0.1:PORT}. */
  public String address() {
    return host + ":" + port;
  }

  /** The digests ({@code sha256:...}) of every blob uploaded so far, in upload order. */
  public List<String> uploadedBlobs() throws IOException {
    List<String> digests = new ArrayList<>();
    for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
      Matcher upload = BLOB_UPLOAD.matcher(line);
      if (upload.find()) {
        digests.add("sha256:" + upload.group(1));
      }
    }
    return digests;
  }

  /**
   * The digest the registry's storage holds for {@code repository:tag}, read from its files (for a
   * registry whose API needs a login this test has no other way to give).
   */
  public String storedTag(String repository, String tag) throws IOException {
    return Files.readString(
            log.resolveSibling("storage")
                .resolve("docker/registry/v2/repositories")
                .resolve(repository)
                .resolve("_manifests/tags")
                .resolve(tag)
                .resolve("current/link"),
            StandardCharsets.UTF_8)
        .strip();
  }

  /** What the registry logged so far (access log and errors). */
  public String log() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  /** The digest of the manifest the registry holds for {@code reference}. */
  public String manifestDigest(String reference) throws IOException, InterruptedException {
    return manifestDigest(reference, null);
  }

  /** As {@link #manifestDigest(String)}, logged in with {@code credentials} ({@code user:pass}). */
  public String manifestDigest(String reference, String credentials)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of("skopeo", "inspect", "--tls-verify=false", "--format", "{{.Digest}}"));
    if (credentials != null) {
      command.addAll(List.of("--creds", credentials));
    }
    command.add("docker://" + reference);
    return skopeo(command).strip();
  }

  /** The manifest of {@code reference} as the registry stores it (skopeo inspect --raw). */
  public JsonNode manifest(String reference) throws IOException, InterruptedException {
    return new ObjectMapper()
        .readTree(
            skopeo(
                List.of(
                    "skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + reference)));
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
    skopeo(command);
    return tarball;
  }

  /** Copies a {@code docker save} tarball into the registry as {@code reference} with skopeo. */
  public void push(Path tarball, String reference) throws IOException, InterruptedException {
    skopeo(
        List.of(
            "skopeo",
            "copy",
            "--quiet",
            "--dest-tls-verify=false",
            "docker-archive:" + tarball,
            "docker://" + reference));
  }

  private static String skopeo(List<String> command) throws IOException, InterruptedException {
    Process skopeo = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(skopeo.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (skopeo.waitFor() != 0) {
      throw new IOException(String.join(" ", command.subList(0, 2)) + " failed: " + output);
    }
    return output;
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
