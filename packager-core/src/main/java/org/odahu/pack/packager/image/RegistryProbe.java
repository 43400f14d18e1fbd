package org.odahu.pack.packager.image;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import java.io.IOException;
import java.net.Authenticator;
import java.net.ConnectException;
import java.net.PasswordAuthentication;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.odahu.pack.packager.PackagingException;

/**
 * Asks a registry for {@code /v2/} once before Jib talks to it: Jib retries a failed connection ten
 * times with exponential back-off, so an unreachable registry, or a plain-HTTP one that may not be
 * used over HTTP, would take about a minute to report. Any HTTP answer (401 included) means the
 * registry is there; everything else is left to Jib. It goes through the JVM's proxies, as Jib does
 * ({@link RegistryProxies}), and names the proxy when it cannot get through.
 */
final class RegistryProbe {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(TIMEOUT)
          .followRedirects(HttpClient.Redirect.NEVER)
          .authenticator(new ProxyLogin())
          .build();

  /**
   * Answers a proxy's login challenge with the JVM's {@code http(s).proxyUser} and {@code
   * proxyPassword} (which Jib's client reads too, {@link RegistryProxies}); nothing else.
   */
  private static final class ProxyLogin extends Authenticator {
    @Override
    protected PasswordAuthentication getPasswordAuthentication() {
      if (getRequestorType() != RequestorType.PROXY) {
        return null;
      }
      for (String scheme : new String[] {"https", "http"}) {
        String user = System.getProperty(scheme + ".proxyUser");
        if (user != null
            && getRequestingHost().equalsIgnoreCase(System.getProperty(scheme + ".proxyHost", ""))
            && String.valueOf(getRequestingPort())
                .equals(System.getProperty(scheme + ".proxyPort", "80"))) {
          return new PasswordAuthentication(
              user, System.getProperty(scheme + ".proxyPassword", "").toCharArray());
        }
      }
      return null;
    }
  }

  /**
   * Fails at once, with what to do, if the registry of {@code reference} cannot be reached, or
   * offers no usable HTTPS while {@code mayUseHttp} is false.
   */
  void check(String reference, boolean mayUseHttp) {
    String registry;
    try {
      registry = ImageReference.parse(reference).getRegistry();
    } catch (InvalidImageReferenceException e) {
      throw new PackagingException("Invalid image reference: " + reference, e);
    }
    try {
      get("https://" + registry + "/v2/");
    } catch (HttpConnectTimeoutException | ConnectException | UnknownHostException e) {
      if (!mayUseHttp) {
        throw unreachable(registry, "https://" + registry + "/v2/", e);
      }
      try {
        get("http://" + registry + "/v2/");
      } catch (IOException plain) {
        throw unreachable(registry, "http://" + registry + "/v2/", plain);
      }
    } catch (HttpTimeoutException e) {
      throw new PackagingException(
          "The registry " + registry + " did not answer within " + TIMEOUT.toSeconds() + " s", e);
    } catch (IOException e) {
      // Reachable, but no HTTPS Jib would accept: a plain-HTTP or self-signed registry.
      if (!mayUseHttp) {
        throw BuildFailures.noVerifiableHttps("https://" + registry + "/v2/: " + e.getMessage(), e);
      }
    }
  }

  private void get(String url) throws IOException {
    try {
      client.send(
          HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().build(),
          HttpResponse.BodyHandlers.discarding());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PackagingException("Packaging was interrupted", e);
    }
  }

  /** The registry could not be reached at {@code url}: directly, or through the proxy named. */
  private static PackagingException unreachable(String registry, String url, IOException failure) {
    String reason =
        failure.getMessage() != null ? failure.getMessage() : failure.getClass().getSimpleName();
    String path =
        RegistryProxies.proxyFor(url).map(proxy -> " through the proxy " + proxy).orElse("");
    return BuildFailures.unreachable(registry + path, reason, failure);
  }
}
