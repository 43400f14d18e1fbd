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
 * @param noProxy hosts (and their subdomains), addresses and address ranges reached directly;
 *     {@code *} for all; see {@link #bypasses}
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
    if (bypasses(uri.getHost())) {
      return Optional.empty();
    }
    return "https".equalsIgnoreCase(uri.getScheme()) ? https : http;
  }

  /**
   * Whether {@code no_proxy} sends {@code host} directly, as curl and requests read it: {@code *}
   * for every host; a name for itself and its subdomains ({@code .example.com} alike, a port
   * ignored); an address for itself; a range ({@code 10.0.0.0/8}, {@code fd00::/8}) for the
   * addresses in it. A range covers hosts written as addresses only: names are not resolved.
   *
   * @param host a URL's host: a name, an IPv4 address or an IPv6 one (with or without brackets)
   */
  public boolean bypasses(String host) {
    String name = host == null ? "" : unbracket(host.toLowerCase(Locale.ROOT));
    byte[] address = addressBytes(name);
    for (String entry : noProxy) {
      int slash = entry.indexOf('/');
      if (entry.equals("*")
          || (slash >= 0 && address != null && inRange(address, entry, slash))
          || (slash < 0 && matches(name, address, entry))) {
        return true;
      }
    }
    return false;
  }

  /** Whether a name or address entry names {@code host} ({@code address}: its bytes, if one). */
  private static boolean matches(String host, byte[] address, String entry) {
    String bare = entry.startsWith(".") ? entry.substring(1) : entry;
    if (bare.startsWith("[")) {
      bare = unbracket(bare.replaceFirst("]:\\d+$", "]"));
    } else if (bare.indexOf(':') == bare.lastIndexOf(':')) { // not an IPv6 address
      bare = bare.replaceFirst(":\\d+$", "");
    }
    return !bare.isEmpty()
        && (host.equals(bare)
            || host.endsWith("." + bare)
            || (address != null && java.util.Arrays.equals(address, addressBytes(bare))));
  }

  /** Whether {@code address} is in the range {@code entry} ({@code address/bits}) names. */
  private static boolean inRange(byte[] address, String entry, int slash) {
    byte[] network = addressBytes(unbracket(entry.substring(0, slash)));
    int bits;
    try {
      bits = Integer.parseInt(entry.substring(slash + 1));
    } catch (NumberFormatException e) {
      return false;
    }
    if (network == null
        || network.length != address.length
        || bits < 0
        || bits > 8 * address.length) {
      return false;
    }
    for (int i = 0; i < bits; i++) {
      int mask = 0x80 >>> (i % 8);
      if ((network[i / 8] & mask) != (address[i / 8] & mask)) {
        return false;
      }
    }
    return true;
  }

  private static final java.util.regex.Pattern IPV4 =
      java.util.regex.Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  /**
   * The bytes of an IPv4 or IPv6 address written out, or null for anything else (never a lookup).
   */
  private static byte[] addressBytes(String text) {
    boolean v4 = IPV4.matcher(text).matches();
    if (v4) {
      for (String part : text.split("\\.", -1)) {
        if (Integer.parseInt(part) > 255) {
          return null; // the JDK would look such a name up
        }
      }
    } else if (text.indexOf(':') < 0 || !text.matches("[0-9a-f:.]+")) {
      return null;
    }
    try {
      // An address literal: the JDK parses it without asking DNS.
      return java.net.InetAddress.getByName(text).getAddress();
    } catch (java.net.UnknownHostException e) {
      return null;
    }
  }

  private static String unbracket(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
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
