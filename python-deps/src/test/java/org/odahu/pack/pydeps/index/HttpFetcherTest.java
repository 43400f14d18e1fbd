package org.odahu.pack.pydeps.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
  private final HttpFetcher fetcher =
      new HttpFetcher(List.of(), Set.of(), Netrc.empty(), Duration.ofSeconds(10));

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
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    handlers.shutdownNow();
  }

  @Test
  void aServerThatStopsSendingFailsTheReadAfterTheTimeout() {
    HttpFetcher impatient =
        new HttpFetcher(List.of(), Set.of(), Netrc.empty(), Duration.ofSeconds(1));
    PackageSourceException page =
        assertThrows(PackageSourceException.class, () -> impatient.get(uri("/stall"), "*/*"));
    assertEquals("Cannot reach " + uri("/stall") + ": timed out", page.getMessage());
    PackageSourceException wheel =
        assertThrows(
            PackageSourceException.class,
            () -> impatient.download(uri("/stall"), temp.resolve("x.whl")));
    assertEquals("Cannot reach " + uri("/stall") + ": timed out", wheel.getMessage());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  @Test
  void anEndlessPageFailsInsteadOfFillingTheHeap() {
    PackageSourceException refused =
        assertThrows(PackageSourceException.class, () -> fetcher.get(uri("/endless"), "*/*"));
    assertEquals(uri("/endless") + " sent more than 128 MiB: not a page", refused.getMessage());
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
