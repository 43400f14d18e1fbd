package org.odahu.pack.packager.image;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.odahu.pack.pydeps.index.Proxies;

/**
 * Registry traffic through the proxies of the environment, as the model's Python dependencies are
 * fetched: {@code https_proxy}, {@code http_proxy} and {@code no_proxy} (lower case first, then
 * upper case; {@link Proxies} reads them). Jib (Apache's HTTP client, built with the JVM's system
 * properties and default {@link ProxySelector}) and the {@code /v2/} probe (the JDK's client with
 * the default selector) both follow the JVM's {@code http(s).proxyHost}, {@code http(s).proxyPort},
 * {@code http.nonProxyHosts} and, for a proxy's login, Apache's {@code http(s).proxyUser} and
 * {@code http(s).proxyPassword}: {@link #install} sets them from the variables once, as a packaging
 * starts, unless the JVM's options already name a proxy (those win, whole). The JVM's patterns know
 * no address ranges ({@code 10.0.0.0/8}), so the default selector becomes one that sends what
 * {@code no_proxy} covers directly and asks the JDK's for the rest. Loopback registries are always
 * reached directly.
 */
public final class RegistryProxies {
  /** Never through a proxy: the JVM's own default for {@code http.nonProxyHosts}. */
  static final List<String> LOOPBACK = List.of("localhost", "127.*", "[::1]");

  private static final List<String> PROPERTIES =
      List.of(
          "http.proxyHost",
          "http.proxyPort",
          "https.proxyHost",
          "https.proxyPort",
          "http.nonProxyHosts",
          "http.proxyUser",
          "http.proxyPassword",
          "https.proxyUser",
          "https.proxyPassword");

  /** The JDK's own default selector, which reads the properties. */
  private static final ProxySelector JDK_SELECTOR = ProxySelector.getDefault();

  private RegistryProxies() {}

  /**
   * Sets the JVM's proxy properties from {@code environment}'s proxy variables, unless a proxy
   * property is already set. A variable that is no proxy address is reported to {@code listener}
   * and left out.
   *
   * @param environment the process's environment ({@code System.getenv()} at a program's edge)
   */
  public static void install(Map<String, String> environment, PackagingListener listener) {
    if (System.getProperty("http.proxyHost") != null
        || System.getProperty("https.proxyHost") != null) {
      return;
    }
    Proxies proxies = Proxies.fromEnvironment(environment, null);
    proxies
        .invalid()
        .ifPresent(
            why ->
                listener.warning(
                    why + ": registries are reached without the proxy it names, if any"));
    Map<String, String> properties = properties(proxies);
    properties.forEach(System::setProperty);
    if (!properties.isEmpty() && JDK_SELECTOR != null) {
      ProxySelector.setDefault(
          new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
              return proxies.bypasses(uri.getHost())
                  ? List.of(Proxy.NO_PROXY)
                  : JDK_SELECTOR.select(uri);
            }

            @Override
            public void connectFailed(URI uri, SocketAddress address, IOException failure) {
              JDK_SELECTOR.connectFailed(uri, address, failure);
            }
          });
    }
  }

  /** The JVM properties that send registry traffic through {@code proxies}. */
  static Map<String, String> properties(Proxies proxies) {
    Map<String, String> properties = new LinkedHashMap<>();
    proxies.http().ifPresent(proxy -> add(properties, "http", proxy));
    proxies.https().ifPresent(proxy -> add(properties, "https", proxy));
    if (!properties.isEmpty()) {
      properties.put("http.nonProxyHosts", nonProxyHosts(proxies.noProxy()));
    }
    return properties;
  }

  private static void add(Map<String, String> properties, String scheme, URI proxy) {
    properties.put(scheme + ".proxyHost", proxy.getHost());
    properties.put(
        scheme + ".proxyPort", String.valueOf(proxy.getPort() >= 0 ? proxy.getPort() : 80));
    String login = proxy.getRawUserInfo();
    if (login != null) {
      String[] parts = login.split(":", 2);
      properties.put(scheme + ".proxyUser", decode(parts[0]));
      properties.put(scheme + ".proxyPassword", parts.length > 1 ? decode(parts[1]) : "");
    }
  }

  private static String decode(String raw) {
    return java.net.URLDecoder.decode(
        raw.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * {@code no_proxy}'s hosts as the JVM's {@code http.nonProxyHosts}: each host and its subdomains
   * ({@code .example.com} and {@code example.com} alike, a port dropped), {@code *} for all, and
   * loopback always; address ranges are left to the selector {@link #install} sets.
   */
  static String nonProxyHosts(List<String> noProxy) {
    List<String> patterns = new ArrayList<>(LOOPBACK);
    for (String entry : noProxy) {
      String host = entry.startsWith(".") ? entry.substring(1) : entry;
      host =
          host.startsWith("[")
              ? host.replaceFirst("]:\\d+$", "]")
              : host.replaceFirst(":\\d+$", "");
      if (host.equals("*")) {
        return "*";
      }
      if (!host.isEmpty() && !host.contains("/")) {
        patterns.add(host);
        patterns.add("*." + host);
      }
    }
    return String.join("|", patterns);
  }

  /**
   * The proxy the JVM sends {@code url} through ({@code host:port}, never a login), for messages;
   * empty when it goes directly.
   */
  static Optional<String> proxyFor(String url) {
    ProxySelector selector = ProxySelector.getDefault();
    if (selector == null) {
      return Optional.empty();
    }
    for (Proxy proxy : selector.select(URI.create(url))) {
      if (proxy.type() == Proxy.Type.HTTP && proxy.address() instanceof InetSocketAddress address) {
        return Optional.of(address.getHostString() + ":" + address.getPort());
      }
    }
    return Optional.empty();
  }

  /** Names of the properties {@link #install} may set, e.g. for a test to put them back. */
  static List<String> propertyNames() {
    return PROPERTIES;
  }

  /** Puts the JDK's default selector back, e.g. for a test. */
  static void restoreSelector() {
    ProxySelector.setDefault(JDK_SELECTOR);
  }
}
