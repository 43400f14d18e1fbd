package org.odahu.pack.pydeps.index;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Certificate authorities to trust besides the JDK's, from a PEM bundle: pip's {@code --cert}
 * ({@code PIP_CERT}), and requests' {@code REQUESTS_CA_BUNDLE} or {@code CURL_CA_BUNDLE}, which a
 * company's own CA usually reaches Python tools through. Unlike requests, which trusts only the
 * bundle, the JDK's authorities stay trusted: a bundle made for an internal index does not cut off
 * public hosts.
 *
 * @param path a PEM file of one or more certificates, or a directory of such files
 * @param source where the path was given, for messages: an option or a variable
 */
public record CertificateBundle(Path path, String source) {
  /** Largest bundle file read: Mozilla's whole bundle is ~0.2 MiB. */
  private static final long MAX_FILE_BYTES = 16L << 20;

  /** The bundle requests would use with {@code environment}: REQUESTS_, else CURL_CA_BUNDLE. */
  public static Optional<CertificateBundle> fromEnvironment(Map<String, String> environment) {
    return Stream.of("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")
        .filter(name -> environment.get(name) != null && !environment.get(name).isBlank())
        .findFirst()
        .map(name -> new CertificateBundle(Path.of(environment.get(name).strip()), name));
  }

  /**
   * A TLS context trusting the JDK's authorities and this bundle's certificates.
   *
   * @throws IllegalArgumentException if the bundle cannot be read or holds no certificate
   */
  public SSLContext sslContext() {
    List<X509Certificate> certificates = read();
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int alias = 0;
      for (X509Certificate authority : defaultAuthorities()) {
        store.setCertificateEntry("jdk-" + alias++, authority);
      }
      for (X509Certificate certificate : certificates) {
        store.setCertificateEntry("bundle-" + alias++, certificate);
      }
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("Cannot set up TLS with the certificates of " + path, e);
    }
  }

  /** The certificates of the bundle, in the order found. */
  List<X509Certificate> read() {
    if (!Files.exists(path)) {
      throw new IllegalArgumentException(
          "The certificate bundle " + path + " does not exist (" + source + ")");
    }
    List<X509Certificate> certificates = new ArrayList<>();
    if (Files.isDirectory(path)) {
      try (Stream<Path> files = Files.list(path)) {
        for (Path file : files.sorted().filter(Files::isRegularFile).toList()) {
          try {
            certificates.addAll(readFile(file));
          } catch (CertificateException e) {
            // A directory of hashed links may hold other files (CRLs, keys): skipped, as OpenSSL.
          }
        }
      } catch (IOException e) {
        throw unreadable(e);
      }
    } else {
      try {
        certificates.addAll(readFile(path));
      } catch (CertificateException e) {
        throw new IllegalArgumentException(
            "The certificate bundle " + path + " is not PEM certificates (" + source + ")", e);
      }
    }
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException(
          "The certificate bundle " + path + " holds no certificate (" + source + ")");
    }
    return certificates;
  }

  private static List<X509Certificate> readFile(Path file) throws CertificateException {
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new CertificateException(file + " is larger than 16 MiB");
      }
      try (InputStream in = Files.newInputStream(file)) {
        List<X509Certificate> certificates = new ArrayList<>();
        for (Certificate certificate :
            CertificateFactory.getInstance("X.509").generateCertificates(in)) {
          certificates.add((X509Certificate) certificate);
        }
        return certificates;
      }
    } catch (IOException e) {
      throw new CertificateException(e);
    }
  }

  private IllegalArgumentException unreadable(IOException e) {
    return new IllegalArgumentException(
        "Cannot read the certificate bundle " + path + " (" + source + "): " + e.getMessage(), e);
  }

  private static List<X509Certificate> defaultAuthorities() throws GeneralSecurityException {
    TrustManagerFactory jdk =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    jdk.init((KeyStore) null);
    List<X509Certificate> authorities = new ArrayList<>();
    for (var manager : jdk.getTrustManagers()) {
      if (manager instanceof X509TrustManager x509) {
        authorities.addAll(List.of(x509.getAcceptedIssuers()));
      }
    }
    return authorities;
  }
}
