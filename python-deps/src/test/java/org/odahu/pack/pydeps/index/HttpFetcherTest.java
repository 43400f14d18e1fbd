package org.odahu.pack.pydeps.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a hostile or broken package source gets from the fetcher, against a real HTTP server. */
class HttpFetcherTest {
  private HttpServer server;
  private final ExecutorService handlers = Executors.newCachedThreadPool();
  @TempDir Path temp;
  private final List<String> authorizations = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final HttpFetcher fetcher = newFetcher(Duration.ofSeconds(10), Proxies.NONE);

  /** A fetcher with no credentials and no trusted hosts. */
  private static HttpFetcher newFetcher(Duration timeout, Proxies proxies) {
    return new HttpFetcher(
        List.of(), Set.of(), Netrc.empty(), timeout, proxies, java.util.Optional.empty());
  }

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(handlers);
    server.createContext(
        "/stall",
        exchange -> {
          exchange.sendResponseHeaders(200, 0);
          OutputStream out = exchange.getResponseBody();
          out.write('x');
          out.flush();
          try {
            Thread.sleep(60_000); // headers and one byte, then nothing
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.close();
        });
    server.createContext(
        "/endless",
        exchange -> {
          exchange.sendResponseHeaders(200, 0); // chunked, as long as the client reads
          byte[] chunk = new byte[1 << 20];
          try (OutputStream out = exchange.getResponseBody()) {
            for (int i = 0; i < 4 * (HttpFetcher.MAX_PAGE_BYTES >> 20); i++) {
              out.write(chunk);
            }
          } catch (IOException e) {
            // the client stopped reading, as it should
          }
        });
    for (String target : List.of("file:///etc/passwd", "ftp://example.com/x", "http://")) {
      server.createContext(
          "/to-" + target.replaceAll("[^a-z]", ""),
          exchange -> {
            exchange.getResponseHeaders().add("Location", target);
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
          });
    }
    server.createContext(
        "/whoami",
        exchange -> {
          authorizations.add(
              String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.createContext(
        "/to-localhost",
        exchange -> {
          exchange
              .getResponseHeaders()
              .add("Location", "http://localhost:" + server.getAddress().getPort() + "/whoami");
          exchange.sendResponseHeaders(302, -1);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    handlers.shutdownNow();
  }

  @Test
  void aServerThatStopsSendingFailsTheReadAfterTheTimeout() {
    HttpFetcher impatient = newFetcher(Duration.ofSeconds(1), Proxies.NONE);
    PackageSourceException page =
        assertThrows(PackageSourceException.class, () -> impatient.get(uri("/stall"), "*/*"));
    assertEquals("Cannot reach " + uri("/stall") + ": timed out", page.getMessage());
    PackageSourceException wheel =
        assertThrows(
            PackageSourceException.class,
            () ->
                impatient.download(
                    uri("/stall"),
                    temp.resolve("x.whl"),
                    SourceLocation.parse(uri("/stall").toString())));
    assertEquals("Cannot reach " + uri("/stall") + ": timed out", wheel.getMessage());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  /**
   * A download that cannot be written (a full disk) is the caller's file's failure, not the
   * source's: it is not reported as a source that cannot be reached.
   */
  @Test
  void aFullDiskIsNotAnUnreachableSource() {
    server.createContext(
        "/wheel.whl",
        exchange -> {
          exchange.sendResponseHeaders(200, 1 << 20);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(new byte[1 << 20]);
          } catch (IOException e) {
            // the client stopped reading
          }
        });
    IOException full =
        assertThrows(
            IOException.class,
            () ->
                fetcher.download(
                    uri("/wheel.whl"),
                    Path.of("/dev/full"),
                    SourceLocation.parse(uri("/wheel.whl").toString())));
    assertEquals("No space left on device", full.getMessage());
  }

  @Test
  void anEndlessPageFailsInsteadOfFillingTheHeap() {
    PackageSourceException refused =
        assertThrows(PackageSourceException.class, () -> fetcher.get(uri("/endless"), "*/*"));
    assertEquals(uri("/endless") + " sent more than 128 MiB: not a page", refused.getMessage());
  }

  @Test
  void aFilesOwnUrlCredentialsGoToItsHostOnly() throws IOException {
    String login = uri("/whoami").toString().replace("://", "://alice:s3cr3t@");
    fetcher.download(uri("/whoami"), temp.resolve("a.whl"), SourceLocation.parse(login));
    fetcher.download(
        uri("/to-localhost"),
        temp.resolve("b.whl"),
        SourceLocation.parse(login.replace("/whoami", "/to-localhost")));
    String basic =
        "Basic "
            + java.util.Base64.getEncoder()
                .encodeToString("alice:s3cr3t".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(List.of(basic, "null"), authorizations, "none for localhost after a redirect");
  }

  @Test
  void aPasswordWithAnUnencodedAtSignOrSpaceIsSentWholeAsPipSendsIt() throws IOException {
    String login = uri("/whoami").toString().replace("://", "://alice:Idx@Pw S3CRET@");
    SourceLocation location = SourceLocation.parse(login);
    fetcher.download(uri("/whoami"), temp.resolve("a.whl"), location);
    String basic =
        "Basic "
            + java.util.Base64.getEncoder()
                .encodeToString(
                    "alice:Idx@Pw S3CRET".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(List.of(basic), authorizations);
    assertEquals(uri("/whoami").toString().replace("://", "://alice:****@"), location.toString());
  }

  @Test
  void aUrlWithoutHostIsRefusedNamingIt() {
    PackageSourceException refused =
        assertThrows(
            PackageSourceException.class, () -> fetcher.get(URI.create("http:/simple/x/"), "*/*"));
    assertEquals("http:/simple/x/ names no host", refused.getMessage());
  }

  @Test
  void redirectsOffHttpAreNotFollowed() {
    for (String path : List.of("/to-fileetcpasswd", "/to-ftpexamplecomx")) {
      PackageSourceException refused =
          assertThrows(PackageSourceException.class, () -> fetcher.get(uri(path), "*/*"), path);
      assertEquals(
          uri(path) + " redirects off HTTP(S), which is not followed", refused.getMessage());
    }
    PackageSourceException malformed =
        assertThrows(PackageSourceException.class, () -> fetcher.get(uri("/to-http"), "*/*"));
    assertEquals(uri("/to-http") + " redirects to a malformed URL", malformed.getMessage());
  }

  /**
   * A forward proxy on loopback that answers every request itself, after a 407 when {@code login}
   * (Basic's base64) is set; it records each request line and Proxy-Authorization it got.
   */
  private static ServerSocket proxy(String login, List<String> seen) throws IOException {
    ServerSocket proxy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread thread =
        new Thread(
            () -> {
              while (!proxy.isClosed()) {
                try (Socket client = proxy.accept()) {
                  BufferedReader in =
                      new BufferedReader(
                          new InputStreamReader(
                              client.getInputStream(), StandardCharsets.US_ASCII));
                  String requestLine = in.readLine();
                  String authorization = null;
                  for (String line = in.readLine();
                      line != null && !line.isEmpty();
                      line = in.readLine()) {
                    if (line.toLowerCase(Locale.ROOT).startsWith("proxy-authorization:")) {
                      authorization = line.substring(line.indexOf(':') + 1).strip();
                    }
                  }
                  seen.add(requestLine + " | " + authorization);
                  boolean refused = login != null && !("Basic " + login).equals(authorization);
                  String body = refused ? "" : "through the proxy";
                  client
                      .getOutputStream()
                      .write(
                          ((refused
                                      ? "HTTP/1.1 407 Proxy Authentication Required\r\n"
                                          + "Proxy-Authenticate: Basic realm=\"proxy\"\r\n"
                                      : "HTTP/1.1 200 OK\r\n")
                                  + "Content-Length: "
                                  + body.length()
                                  + "\r\nConnection: close\r\n\r\n"
                                  + body)
                              .getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                  // closed
                }
              }
            });
    thread.setDaemon(true);
    thread.start();
    return proxy;
  }

  @Test
  void sourcesAreReachedThroughTheProxyOfTheirSchemeButNoProxyHosts() throws IOException {
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (ServerSocket proxy = proxy(null, seen)) {
      Proxies proxies =
          Proxies.fromEnvironment(
              Map.of("http_proxy", "127.0.0.1:" + proxy.getLocalPort(), "NO_PROXY", "localhost"),
              null);
      HttpFetcher fetcher = newFetcher(Duration.ofSeconds(10), proxies);
      assertEquals(
          "through the proxy",
          fetcher.get(URI.create("http://127.0.0.1:9/simple/x/"), "*/*").body());
      assertEquals(List.of("GET http://127.0.0.1:9/simple/x/ HTTP/1.1 | null"), seen);
      // no_proxy: straight to the server, which sends 128 MiB and more
      URI direct = URI.create("http://localhost:" + server.getAddress().getPort() + "/endless");
      assertThrows(PackageSourceException.class, () -> fetcher.get(direct, "*/*"));
      assertEquals(1, seen.size(), "the proxy saw nothing more: " + seen);
    }
  }

  @Test
  void aProxysPasswordAnswersItsChallengeAndIsNeverShown() throws IOException {
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    String login =
        java.util.Base64.getEncoder()
            .encodeToString("proxy-user:p+ss/w@rd".getBytes(StandardCharsets.UTF_8));
    try (ServerSocket proxy = proxy(login, seen)) {
      String setting = "http://proxy-user:p+ss%2Fw%40rd@127.0.0.1:" + proxy.getLocalPort();
      Proxies proxies = Proxies.fromEnvironment(Map.of(), setting);
      assertFalse(proxies.toString().contains("p+ss"), proxies.toString());
      HttpFetcher fetcher = newFetcher(Duration.ofSeconds(10), proxies);
      assertEquals(
          "through the proxy", fetcher.get(URI.create("http://127.0.0.1:9/x"), "*/*").body());
      assertEquals(
          List.of(
              "GET http://127.0.0.1:9/x HTTP/1.1 | null",
              "GET http://127.0.0.1:9/x HTTP/1.1 | Basic " + login),
          seen);
    }
    PackageSourceException unreachable =
        assertThrows(
            PackageSourceException.class,
            () ->
                newFetcher(
                        Duration.ofSeconds(10),
                        Proxies.fromEnvironment(
                            Map.of("HTTPS_PROXY", "http://u:secret@127.0.0.1:1"), null))
                    .get(URI.create("https://pypi.example.com/simple/x/"), "*/*"));
    assertEquals(
        "Cannot reach https://pypi.example.com/simple/x/: connection refused (through the proxy"
            + " 127.0.0.1:1)",
        unreachable.getMessage());
    PackageSourceException malformed =
        assertThrows(
            PackageSourceException.class,
            () ->
                newFetcher(
                    Duration.ofSeconds(10),
                    // Read without complaint: only a fetch needs the proxy, and says so.
                    Proxies.fromEnvironment(
                        Map.of("https_proxy", "socks5://u:secret@host:1080"), null)));
    assertEquals(
        "https_proxy is not an HTTP proxy address: http://host:port, a login before the host if it"
            + " needs one",
        malformed.getMessage());
  }

  @Test
  void aProxyLoginLetsTheJdkAnswerATunnelsChallengeUnlessTheUserChoseOtherwise() {
    String before = System.getProperty(Proxies.TUNNELING_DISABLED);
    try {
      System.clearProperty(Proxies.TUNNELING_DISABLED);
      Proxies.fromEnvironment(Map.of("https_proxy", "http://proxy.corp:3128"), null);
      assertEquals(null, System.getProperty(Proxies.TUNNELING_DISABLED), "no login: as it was");
      Proxies.fromEnvironment(Map.of("HTTPS_PROXY", "http://u:p@proxy.corp:3128"), null);
      assertEquals("", System.getProperty(Proxies.TUNNELING_DISABLED));
      System.clearProperty(Proxies.TUNNELING_DISABLED);
      Proxies.fromEnvironment(Map.of(), "http://u:p@pip-proxy:3128"); // pip.conf's proxy too
      assertEquals("", System.getProperty(Proxies.TUNNELING_DISABLED));
      System.setProperty(Proxies.TUNNELING_DISABLED, "Basic,Digest");
      Proxies.fromEnvironment(Map.of("HTTPS_PROXY", "http://u:p@proxy.corp:3128"), null);
      assertEquals("Basic,Digest", System.getProperty(Proxies.TUNNELING_DISABLED), "the user's");
    } finally {
      if (before == null) {
        System.clearProperty(Proxies.TUNNELING_DISABLED);
      } else {
        System.setProperty(Proxies.TUNNELING_DISABLED, before);
      }
    }
  }

  @Test
  void anUpperCaseSchemeIsPlainHttpAllTheSame() {
    PackageSourceException refused =
        assertThrows(
            PackageSourceException.class,
            () -> fetcher.get(URI.create("HTTP://pypi.example.com/simple/x/"), "*/*"));
    assertEquals(
        "HTTP://pypi.example.com/simple/x/ is plain HTTP: use HTTPS, or list 'pypi.example.com'"
            + " in PIP_TRUSTED_HOST (pip's --trusted-host)",
        refused.getMessage());
  }
}
