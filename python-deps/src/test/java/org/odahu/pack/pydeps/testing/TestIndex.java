package org.odahu.pack.pydeps.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A real PEP 503 package index over HTTP on 127.0.0.1, serving the files of a directory: {@code
 * /simple/<project>/} pages (HTML with {@code #sha256=}, {@code data-requires-python}, {@code
 * data-yanked}, {@code data-core-metadata}; PEP 691 JSON when asked and enabled), {@code
 * /files/<file>} and {@code /files/<file>.metadata}. Optionally behind basic auth.
 */
public final class TestIndex implements AutoCloseable {
  private final Path directory;
  private final HttpServer server;
  private final Map<String, String> yanked = new HashMap<>();
  private final Map<String, String> requiresPython = new HashMap<>();
  private final AtomicInteger requests = new AtomicInteger();

  /**
   * A path of this index's own before {@code /simple} and {@code /files}: a resolution cached under
   * another run's index on the same port (the user's cache outlives every test) never matches it.
   */
  private final String root = "/index-" + UUID.randomUUID();

  private String user;
  private String password;
  private boolean json;
  private boolean coreMetadata;
  private String addedRequirement;

  private TestIndex(Path directory) throws IOException {
    this.directory = directory;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext("/", this::handle);
  }

  /** An index of {@code directory}'s files, started. */
  public static TestIndex start(Path directory) throws IOException {
    TestIndex index = new TestIndex(directory);
    index.server.start();
    return index;
  }

  /** Requires basic auth with these credentials. */
  public TestIndex withCredentials(String username, String secret) {
    this.user = username;
    this.password = secret;
    return this;
  }

  /** Answers PEP 691 JSON to clients that prefer it. */
  public TestIndex withJson() {
    this.json = true;
    return this;
  }

  /** Serves wheels' METADATA files (PEP 658). */
  public TestIndex withCoreMetadata() {
    this.coreMetadata = true;
    return this;
  }

  /**
   * Serves wheels' METADATA (PEP 658) with one more {@code Requires-Dist}, and its digest: a
   * hostile index that lies about wheels it lists with their real hashes.
   */
  public TestIndex withAddedRequirement(String requirement) {
    this.coreMetadata = true;
    this.addedRequirement = requirement;
    return this;
  }

  /** Marks {@code filename} as yanked. */
  public TestIndex yank(String filename, String reason) {
    yanked.put(filename, reason);
    return this;
  }

  /** Gives {@code filename} a {@code data-requires-python}. */
  public TestIndex requiresPython(String filename, String specifier) {
    requiresPython.put(filename, specifier);
    return this;
  }

  /** The index URL, {@code http://127.0.0.1:<port>/index-<uuid>/simple}. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + root + "/simple";
  }

  /** The index URL with {@code username:secret@}. */
  public String url(String username, String secret) {
    return "http://"
        + username
        + ":"
        + secret
        + "@127.0.0.1:"
        + server.getAddress().getPort()
        + root
        + "/simple";
  }

  /** How many requests were answered. */
  public int requests() {
    return requests.get();
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    try (exchange) {
      if (user != null && !authorized(exchange)) {
        exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"test\"");
        send(exchange, 401, "text/plain", "unauthorized".getBytes(StandardCharsets.UTF_8));
        return;
      }
      String path = exchange.getRequestURI().getPath();
      if (!path.startsWith(root + "/")) {
        send(exchange, 404, "text/plain", new byte[0]);
        return;
      }
      path = path.substring(root.length());
      if (path.startsWith("/simple/") && path.length() > "/simple/".length()) {
        String project = path.substring("/simple/".length()).replaceAll("/$", "");
        project(exchange, project);
      } else if (path.startsWith("/files/")) {
        file(exchange, path.substring("/files/".length()));
      } else {
        send(exchange, 404, "text/plain", new byte[0]);
      }
    }
  }

  private boolean authorized(HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    String expected =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return expected.equals(header);
  }

  private void project(HttpExchange exchange, String project) throws IOException {
    List<Path> files = filesOf(project);
    if (files.isEmpty()) {
      send(exchange, 404, "text/plain", new byte[0]);
      return;
    }
    String accept = exchange.getRequestHeaders().getFirst("Accept");
    if (json && accept != null && accept.contains("application/vnd.pypi.simple.v1+json")) {
      send(exchange, 200, "application/vnd.pypi.simple.v1+json", jsonPage(project, files));
      return;
    }
    StringBuilder html =
        new StringBuilder("<!DOCTYPE html>\n<html><body><h1>Links for " + project + "</h1>\n");
    for (Path file : files) {
      String name = file.getFileName().toString();
      html.append("<a href=\"../../files/")
          .append(name)
          .append("#sha256=")
          .append(sha256(Files.readAllBytes(file)))
          .append('"');
      if (requiresPython.containsKey(name)) {
        html.append(" data-requires-python=\"")
            .append(requiresPython.get(name).replace("<", "&lt;").replace(">", "&gt;"))
            .append('"');
      }
      if (yanked.containsKey(name)) {
        html.append(" data-yanked=\"").append(yanked.get(name)).append('"');
      }
      if (coreMetadata && name.endsWith(".whl")) {
        html.append(" data-core-metadata=\"sha256=").append(sha256(metadataOf(file))).append('"');
      }
      html.append('>').append(name).append("</a><br/>\n");
    }
    send(
        exchange,
        200,
        "text/html",
        html.append("</body></html>\n").toString().getBytes(StandardCharsets.UTF_8));
  }

  private byte[] jsonPage(String project, List<Path> files) throws IOException {
    List<Map<String, Object>> entries = new ArrayList<>();
    for (Path file : files) {
      String name = file.getFileName().toString();
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("filename", name);
      entry.put("url", "../../files/" + name);
      entry.put("hashes", Map.of("sha256", sha256(Files.readAllBytes(file))));
      entry.put("requires-python", requiresPython.get(name));
      entry.put("yanked", yanked.containsKey(name) ? (Object) yanked.get(name) : false);
      entries.add(entry);
    }
    return new ObjectMapper()
        .writeValueAsBytes(
            Map.of("meta", Map.of("api-version", "1.0"), "name", project, "files", entries));
  }

  private void file(HttpExchange exchange, String name) throws IOException {
    boolean metadata = name.endsWith(".metadata");
    Path file =
        directory
            .resolve(metadata ? name.substring(0, name.length() - ".metadata".length()) : name)
            .normalize();
    if (!file.startsWith(directory) || !Files.isRegularFile(file)) {
      send(exchange, 404, "text/plain", new byte[0]);
      return;
    }
    send(
        exchange,
        200,
        "application/octet-stream",
        metadata ? metadataOf(file) : Files.readAllBytes(file));
  }

  private List<Path> filesOf(String project) throws IOException {
    try (Stream<Path> all = Files.list(directory)) {
      return all.filter(f -> projectOf(f.getFileName().toString()).equals(project))
          .sorted()
          .toList();
    }
  }

  private static String projectOf(String filename) {
    String lower = filename.toLowerCase(Locale.ROOT);
    int dash = lower.endsWith(".whl") ? lower.indexOf('-') : lower.lastIndexOf('-');
    return dash < 0 ? "" : lower.substring(0, dash).replaceAll("[-_.]+", "-");
  }

  private byte[] metadataOf(Path wheel) throws IOException {
    byte[] metadata = wheelMetadata(wheel);
    if (addedRequirement == null) {
      return metadata;
    }
    return new String(metadata, StandardCharsets.UTF_8)
        .replaceFirst("\n", "\nRequires-Dist: " + addedRequirement + "\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] wheelMetadata(Path wheel) throws IOException {
    try (ZipFile zip = new ZipFile(wheel.toFile())) {
      ZipEntry entry =
          zip.stream()
              .filter(e -> e.getName().endsWith(".dist-info/METADATA"))
              .findFirst()
              .orElseThrow();
      try (InputStream in = zip.getInputStream(entry)) {
        return in.readAllBytes();
      }
    }
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().add("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
