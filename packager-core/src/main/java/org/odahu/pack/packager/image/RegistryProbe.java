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
 * registry is there. Then the image's manifest is asked for (without credentials; any answer will
 * do), so that a registry that answers {@code /v2/} but nothing else is reported within {@link
 * RegistryTimeouts#limit()}, not after the 4.5 minutes of Jib's retries. Everything else is left to
 * Jib. It goes through the JVM's proxies, as Jib does ({@link RegistryProxies}), and names the
 * proxy when it cannot get through.
 */
final class RegistryProbe {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final Duration answerTimeout = RegistryTimeouts.limit();
  private final Duration connectTimeout =
      answerTimeout.compareTo(CONNECT_TIMEOUT) < 0 ? answerTimeout : CONNECT_TIMEOUT;
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(connectTimeout)
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
   * Fails at once, with what to do, if the registry of {@code reference} cannot be reached, does
   * not answer, or offers no usable HTTPS while {@code mayUseHttp} is false.
   */
  void check(String reference, boolean mayUseHttp) {
    ImageReference parsed;
    try {
      parsed = ImageReference.parse(reference);
    } catch (InvalidImageReferenceException e) {
      throw new PackagingException("Invalid image reference: " + reference, e);
    }
    String registry = parsed.getRegistry();
    String scheme = "https://";
    try {
      try {
        get("https://" + registry + "/v2/");
      } catch (HttpConnectTimeoutException | ConnectException | UnknownHostException e) {
        // Through a proxy the connection that failed is the proxy's: it says nothing of the
        // registry's HTTPS, and plain HTTP, perhaps sent directly, would hide it until Jib's push.
        if (!mayUseHttp || RegistryProxies.proxyFor("https://" + registry + "/v2/").isPresent()) {
          throw unreachable(registry, "https://" + registry + "/v2/", e);
        }
        scheme = "http://";
        try {
          get("http://" + registry + "/v2/");
        } catch (HttpTimeoutException plain) {
          throw plain;
        } catch (IOException plain) {
          throw unreachable(registry, "http://" + registry + "/v2/", plain);
        }
      } catch (HttpTimeoutException e) {
        throw e;
      } catch (IOException e) {
        // Reachable, but no HTTPS Jib would accept: a plain-HTTP or self-signed registry.
        if (!mayUseHttp) {
          throw BuildFailures.noVerifiableHttps(
              "https://" + registry + "/v2/: " + e.getMessage(), e);
        }
        scheme = "http://";
      }
      head(
          scheme
              + registry
              + "/v2/"
              + parsed.getRepository()
              + "/manifests/"
              + parsed.getQualifier());
    } catch (HttpConnectTimeoutException e) {
      throw unreachable(registry, scheme + registry + "/v2/", e);
    } catch (HttpTimeoutException e) {
      throw RegistryTimeouts.noAnswer(registry, answerTimeout, e);
    } catch (IOException e) {
      // Answered /v2/ but not this (a connection reset): Jib will say what it finds.
    }
  }

  private void get(String url) throws IOException {
    send(HttpRequest.newBuilder(URI.create(url)).timeout(answerTimeout).GET().build());
  }

  private void head(String url) throws IOException {
    send(
        HttpRequest.newBuilder(URI.create(url))
            .timeout(answerTimeout)
            .method("HEAD", HttpRequest.BodyPublishers.noBody())
            .header(
                "Accept",
                ImageFinish.OCI_MANIFEST + ", application/vnd.docker.distribution.manifest.v2+json")
            .build());
  }

  private void send(HttpRequest request) throws IOException {
    try {
      client.send(request, HttpResponse.BodyHandlers.discarding());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PackagingException("Packaging was interrupted", e);
    }
  }

  /** The registry could not be reached at {@code url}: directly, or through the proxy named. */
  private PackagingException unreachable(String registry, String url, IOException failure) {
    String reached = BuildFailures.reached(registry, url);
    return BuildFailures.unreachable(
        reached, BuildFailures.connectionReason(failure, reached, connectTimeout), failure);
  }
}
