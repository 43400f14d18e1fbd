package org.odahu.pack.pydeps.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.pydeps.testing.TestCertificates;

/**
 * An index over HTTPS whose certificate the JDK does not know (a company's own authority): refused
 * with a hint, reached with its certificate in a bundle (pip's {@code cert}, requests' variables)
 * or with the host trusted.
 */
class CertificateBundleTest {
  @TempDir static Path keys;
  @TempDir Path temp;
  private static TestCertificates certificates;
  private HttpsServer server;

  @BeforeAll
  static void makeCertificates() throws Exception {
    certificates = TestCertificates.create(keys); // keytool takes a second or two
  }

  @BeforeEach
  void start() throws Exception {
    server =
        certificates.serve(
            exchange -> {
              byte[] body = "<html>simple</html>".getBytes(StandardCharsets.UTF_8);
              exchange.sendResponseHeaders(200, body.length);
              exchange.getResponseBody().write(body);
              exchange.close();
            });
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private URI uri() {
    return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/simple/");
  }

  private static HttpFetcher fetcher(Set<String> trusted, Optional<CertificateBundle> bundle) {
    return new HttpFetcher(
        List.of(), trusted, Netrc.empty(), Duration.ofSeconds(10), Proxies.NONE, bundle);
  }

  @Test
  void anUnknownAuthorityIsRefusedWithWhatToDo() {
    PackageSourceException refused =
        assertThrows(
            PackageSourceException.class,
            () -> fetcher(Set.of(), Optional.empty()).get(uri(), "*/*"));
    assertTrue(refused.getMessage().startsWith("Cannot reach " + uri() + ": TLS failed ("));
    assertTrue(refused.getMessage().contains("PIP_CERT"), refused.getMessage());
  }

  @Test
  void theAuthorityInABundleFileOrDirectoryIsTrusted() throws IOException {
    CertificateBundle file = new CertificateBundle(certificates.pem(), "PIP_CERT");
    assertEquals(200, fetcher(Set.of(), Optional.of(file)).get(uri(), "*/*").status());
    // A directory of certificates (OpenSSL's CApath): other files in it are skipped.
    Path directory = Files.createDirectory(temp.resolve("certs"));
    Files.copy(certificates.pem(), directory.resolve("5f1e2c3a.0"));
    Files.writeString(directory.resolve("README"), "not a certificate\n");
    CertificateBundle inDirectory = new CertificateBundle(directory, "REQUESTS_CA_BUNDLE");
    assertEquals(200, fetcher(Set.of(), Optional.of(inDirectory)).get(uri(), "*/*").status());
    // The JDK's authorities stay trusted beside the bundle's.
    assertTrue(file.sslContext().getDefaultSSLParameters() != null);
  }

  @Test
  void aTrustedHostIsReachedWhateverItsCertificate() {
    assertEquals(200, fetcher(Set.of("127.0.0.1"), Optional.empty()).get(uri(), "*/*").status());
  }

  @Test
  void aBundleThatCannotBeUsedSaysWhichAndWhy() throws IOException {
    IllegalArgumentException missing =
        assertThrows(
            IllegalArgumentException.class,
            () -> new CertificateBundle(temp.resolve("nope.pem"), "REQUESTS_CA_BUNDLE").read());
    assertEquals(
        "The certificate bundle "
            + temp.resolve("nope.pem")
            + " does not exist (REQUESTS_CA_BUNDLE)",
        missing.getMessage());
    Path text = Files.writeString(temp.resolve("text.pem"), "hello\n");
    IllegalArgumentException notPem =
        assertThrows(
            IllegalArgumentException.class,
            () -> new CertificateBundle(text, "PIP_CERT").sslContext());
    assertTrue(
        notPem.getMessage().startsWith("The certificate bundle " + text), notPem.getMessage());
    Path empty = Files.createDirectory(temp.resolve("empty"));
    IllegalArgumentException none =
        assertThrows(
            IllegalArgumentException.class, () -> new CertificateBundle(empty, "PIP_CERT").read());
    assertEquals(
        "The certificate bundle " + empty + " holds no certificate (PIP_CERT)", none.getMessage());
  }

  @Test
  void requestsVariablesInTheirOrderEmptyIsUnset() {
    assertEquals(Optional.empty(), CertificateBundle.fromEnvironment(Map.of()));
    assertEquals(
        Optional.of(new CertificateBundle(Path.of("/b.pem"), "CURL_CA_BUNDLE")),
        CertificateBundle.fromEnvironment(
            Map.of("REQUESTS_CA_BUNDLE", "", "CURL_CA_BUNDLE", "/b.pem")));
    assertEquals(
        Optional.of(new CertificateBundle(Path.of("/a.pem"), "REQUESTS_CA_BUNDLE")),
        CertificateBundle.fromEnvironment(
            Map.of("REQUESTS_CA_BUNDLE", "/a.pem", "CURL_CA_BUNDLE", "/b.pem")));
  }
}
