package org.odahu.pack.pydeps.index;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The HTTP proxies package sources are reached through, as pip finds them: its {@code --proxy}
 * ({@code proxy} in pip.conf, {@code PIP_PROXY}) for every URL, else the {@code https_proxy} and
 * {@code http_proxy} variables by the URL's scheme (lower case first, as curl and requests read
 * them), except for the hosts of {@code no_proxy}. A proxy's own user and password, if any, are
 * sent to the proxy only and never shown.
 *
 * @param http the proxy of {@code http://} URLs
 * @param https the proxy of {@code https://} URLs
 * @param noProxy hosts (and their subdomains) reached directly; {@code *} for all
 * @param invalid why a proxy setting cannot be used, if one cannot: reported by the first fetch, so
 *     that packagings that fetch nothing are not stopped by it
 */
public record Proxies(
    Optional<URI> http, Optional<URI> https, List<String> noProxy, Optional<String> invalid) {
  /** Percent-decoding only: a '+' in a password stays a '+'. */
  private static String decode(String raw) {
    return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** No proxy: every source is reached directly. */
  public static final Proxies NONE =
      new Proxies(Optional.empty(), Optional.empty(), List.of(), Optional.empty());

  public Proxies {
    noProxy = List.copyOf(noProxy);
  }

  /**
   * These proxies, ready for a fetch.
   *
   * @throws PackageSourceException if a proxy setting cannot be used
   */
  public Proxies checked() {
    invalid.ifPresent(
        why -> {
          throw new PackageSourceException(why);
        });
    return this;
  }

  /**
   * The proxies of {@code environment}, or {@code pipProxy} (pip's {@code --proxy}) for both
   * schemes when set. A setting that is no {@code [http://][user:password@]host:port} is held as
   * {@link #invalid}, reported by the first fetch.
   */
  public static Proxies fromEnvironment(Map<String, String> environment, String pipProxy) {
    List<String> invalid = new ArrayList<>();
    Optional<URI> all = parse(pipProxy, "--proxy", invalid);
    List<String> bypass = new ArrayList<>();
    for (String host : variable(environment, "no_proxy").orElse("").split(",", -1)) {
      if (!host.isBlank()) {
        bypass.add(host.strip().toLowerCase(Locale.ROOT));
      }
    }
    Optional<URI> http =
        all.isPresent()
            ? all
            : parse(variable(environment, "http_proxy").orElse(null), "http_proxy", invalid);
    Optional<URI> https =
        all.isPresent()
            ? all
            : parse(variable(environment, "https_proxy").orElse(null), "https_proxy", invalid);
    if (Stream.of(http, https)
        .flatMap(Optional::stream)
        .anyMatch(p -> p.getRawUserInfo() != null)) {
      allowTunnelLogins();
    }
    return new Proxies(
        http, https, bypass, invalid.isEmpty() ? Optional.empty() : Optional.of(invalid.get(0)));
  }

  private static Optional<String> variable(Map<String, String> environment, String name) {
    String value = environment.get(name);
    if (value == null || value.isBlank()) {
      value = environment.get(name.toUpperCase(Locale.ROOT));
    }
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
  }

  private static Optional<URI> parse(String value, String setting, List<String> invalid) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    String written = value.strip().contains("://") ? value.strip() : "http://" + value.strip();
    try {
      URI uri = new URI(written);
      if (uri.getHost() != null && "http".equalsIgnoreCase(uri.getScheme())) {
        return Optional.of(uri);
      }
    } catch (java.net.URISyntaxException e) {
      // reported below
    }
    // The value may hold the proxy's password: it is not repeated.
    invalid.add(
        setting
            + " is not an HTTP proxy address: http://host:port, a login before the host if it"
            + " needs one");
    return Optional.empty();
  }

  /** The JDK's list of schemes it will not use to log in to a proxy through a CONNECT tunnel. */
  static final String TUNNELING_DISABLED = "jdk.http.auth.tunneling.disabledSchemes";

  /**
   * Lets the JDK's HTTP client answer an HTTPS proxy's Basic challenge, which it refuses by default
   * for CONNECT tunnels, unless something set the property before. The JDK reads it once, when its
   * first HTTP client is made: proxies are read from the environment where a program reads its
   * package sources, before any client (a packaging's registry probe makes one before any fetch).
   */
  private static void allowTunnelLogins() {
    if (System.getProperty(TUNNELING_DISABLED) == null) {
      System.setProperty(TUNNELING_DISABLED, "");
    }
  }

  /** Whether any URL goes through a proxy. */
  public boolean any() {
    return http.isPresent() || https.isPresent();
  }

  /** The proxy {@code uri} goes through, if any. */
  Optional<URI> proxyFor(URI uri) {
    String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    for (String entry : noProxy) {
      String bare = entry.startsWith(".") ? entry.substring(1) : entry;
      bare = bare.replaceFirst(":\\d+$", "");
      if (entry.equals("*") || host.equals(bare) || host.endsWith("." + bare)) {
        return Optional.empty();
      }
    }
    return "https".equalsIgnoreCase(uri.getScheme()) ? https : http;
  }

  /** Where a proxy is, for messages: its host and port, never its credentials. */
  static String address(URI proxy) {
    return proxy.getHost() + ":" + port(proxy);
  }

  private static int port(URI proxy) {
    return proxy.getPort() >= 0 ? proxy.getPort() : 80;
  }

  /**
   * {@code builder} through these proxies, if any. A proxy's user and password answer its 407 only;
   * for an HTTPS URL, reached through a CONNECT tunnel, see {@link #fromEnvironment}.
   */
  public HttpClient.Builder applyTo(HttpClient.Builder builder) {
    if (any()) {
      builder.proxy(selector());
      builder.authenticator(
          new java.net.Authenticator() {
            @Override
            protected java.net.PasswordAuthentication getPasswordAuthentication() {
              return getRequestorType() == RequestorType.PROXY
                  ? login(getRequestingHost(), getRequestingPort()).orElse(null)
                  : null;
            }
          });
    }
    return builder;
  }

  /** The JDK client's view of these proxies. */
  private ProxySelector selector() {
    return new ProxySelector() {
      @Override
      public List<Proxy> select(URI uri) {
        return proxyFor(uri)
            .map(
                proxy ->
                    List.of(
                        new Proxy(
                            Proxy.Type.HTTP,
                            InetSocketAddress.createUnresolved(proxy.getHost(), port(proxy)))))
            .orElse(List.of(Proxy.NO_PROXY));
      }

      @Override
      public void connectFailed(URI uri, SocketAddress address, IOException failure) {
        // The request fails with the failure; no other proxy to try.
      }
    };
  }

  /** The user and password a proxy at {@code host}:{@code port} asks for, if it has them. */
  Optional<PasswordAuthentication> login(String host, int port) {
    for (Optional<URI> proxy : List.of(http, https)) {
      if (proxy.isPresent()
          && proxy.get().getRawUserInfo() != null
          && proxy.get().getHost().equalsIgnoreCase(host)
          && port(proxy.get()) == port) {
        String[] parts = proxy.get().getRawUserInfo().split(":", 2);
        return Optional.of(
            new PasswordAuthentication(
                decode(parts[0]), (parts.length > 1 ? decode(parts[1]) : "").toCharArray()));
      }
    }
    return Optional.empty();
  }

  /** Without the proxies' users and passwords. */
  @Override
  public String toString() {
    return "Proxies[http="
        + http.map(Proxies::address).orElse("none")
        + ", https="
        + https.map(Proxies::address).orElse("none")
        + ", noProxy="
        + noProxy
        + "]";
  }
}
