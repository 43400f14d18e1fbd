package org.odahu.pack.packager.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.packager.PackagingException;
import org.odahu.pack.packager.testing.LocalRegistry;
import org.odahu.pack.packager.testing.TinyBase;

/**
 * Registry traffic follows HTTPS_PROXY, HTTP_PROXY and NO_PROXY: a push to a registry that is not
 * on loopback goes through a dead proxy and fails naming it, and NO_PROXY lets it through directly,
 * by its address or by a range holding it (docker-registry on the machine's own non-loopback
 * address; loopback never goes through a proxy).
 */
class RegistryProxiesIT {
  @TempDir Path temp;

  private final Map<String, String> saved = new HashMap<>();

  @BeforeEach
  void clearProxyProperties() {
    for (String name : RegistryProxies.propertyNames()) {
      String value = System.clearProperty(name);
      if (value != null) {
        saved.put(name, value);
      }
    }
  }

  @AfterEach
  void restoreProxyProperties() {
    RegistryProxies.propertyNames().forEach(System::clearProperty);
    saved.forEach(System::setProperty);
    RegistryProxies.restoreSelector();
  }

  /** The machine's first non-loopback IPv4 address: reached through a proxy unless NO_PROXY. */
  private static String nonLoopbackHost() throws IOException {
    for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
      if (nic.isUp() && !nic.isLoopback()) {
        for (InetAddress address : nic.inetAddresses().toList()) {
          if (address instanceof Inet4Address
              && !address.isLoopbackAddress()
              && !address.isLinkLocalAddress()) {
            return address.getHostAddress();
          }
        }
      }
    }
    throw new IOException("no non-loopback IPv4 address to run a registry on");
  }

  private static int deadPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private BuiltImage push(String reference) throws IOException {
    Path base = TinyBase.write(temp.resolve("tiny.tar"), null);
    return new ImageBuilder(temp.resolve("jib"), PackagingListener.NONE, "test")
        .copy(BaseImage.tarball(base), new ImageDestination.Registry(reference, null, true));
  }

  @Test
  void pushesGoThroughTheEnvironmentsProxyUnlessNoProxy() throws Exception {
    String host = nonLoopbackHost();
    String proxy = "127.0.0.1:" + deadPort();
    try (LocalRegistry registry =
        LocalRegistry.startOn(host, Files.createDirectories(temp.resolve("registry")))) {
      RegistryProxies.install(
          Map.of("HTTPS_PROXY", "http://" + proxy, "http_proxy", proxy), PackagingListener.NONE);
      PackagingException refused =
          assertThrows(PackagingException.class, () -> push(registry.address() + "/odahu/tiny:1"));
      assertTrue(
          refused
              .getMessage()
              .startsWith(
                  "Cannot reach the registry "
                      + registry.address()
                      + " through the proxy "
                      + proxy
                      + ": connection refused (is the proxy listening on port "),
          refused.getMessage());
      assertEquals(List.of(), registry.uploadedBlobs(), "nothing reached the registry");

      // A proxy for HTTPS only: plain HTTP, which would go directly, does not hide it.
      restoreProxyProperties();
      clearProxyProperties();
      RegistryProxies.install(Map.of("https_proxy", proxy), PackagingListener.NONE);
      PackagingException httpsOnly =
          assertThrows(PackagingException.class, () -> push(registry.address() + "/odahu/tiny:0"));
      assertTrue(
          httpsOnly
              .getMessage()
              .startsWith(
                  "Cannot reach the registry "
                      + registry.address()
                      + " through the proxy "
                      + proxy
                      + ": connection refused (is the proxy listening on port "),
          httpsOnly.getMessage());
      assertEquals(List.of(), registry.uploadedBlobs(), "nothing reached the registry");

      restoreProxyProperties();
      clearProxyProperties();
      RegistryProxies.install(
          Map.of("https_proxy", proxy, "HTTP_PROXY", proxy, "NO_PROXY", "example.com," + host),
          PackagingListener.NONE);
      BuiltImage pushed = push(registry.address() + "/odahu/tiny:2");
      assertEquals(pushed.digest(), registry.manifestDigest(registry.address() + "/odahu/tiny:2"));

      // A range, as clusters set NO_PROXY (10.0.0.0/8): the JVM's own patterns know none.
      restoreProxyProperties();
      clearProxyProperties();
      RegistryProxies.install(
          Map.of("HTTPS_PROXY", proxy, "HTTP_PROXY", proxy, "no_proxy", neighbours(host)),
          PackagingListener.NONE);
      assertThrows(PackagingException.class, () -> push(registry.address() + "/odahu/tiny:3"));
      restoreProxyProperties();
      clearProxyProperties();
      RegistryProxies.install(
          Map.of(
              "HTTPS_PROXY",
              proxy,
              "HTTP_PROXY",
              proxy,
              "no_proxy",
              neighbours(host) + "," + range(host)),
          PackagingListener.NONE);
      BuiltImage ranged = push(registry.address() + "/odahu/tiny:4");
      assertEquals(ranged.digest(), registry.manifestDigest(registry.address() + "/odahu/tiny:4"));
    }
  }

  /** A /16 range holding the IPv4 address {@code host}, written from its network address. */
  private static String range(String host) {
    String[] octets = host.split("\\.", -1);
    return octets[0] + "." + octets[1] + ".0.0/16";
  }

  /** The /24 range next to {@code host}'s, which does not hold it. */
  private static String neighbours(String host) {
    String[] octets = host.split("\\.", -1);
    return octets[0] + "." + octets[1] + "." + (Integer.parseInt(octets[2]) + 1) % 256 + ".0/24";
  }

  @Test
  void jvmOptionsWinAndLoopbackIsReachedDirectly() {
    System.setProperty("https.proxyHost", "proxy.example.com");
    RegistryProxies.install(Map.of("https_proxy", "other:3128"), PackagingListener.NONE);
    assertEquals("proxy.example.com", System.getProperty("https.proxyHost"));
    assertEquals(null, System.getProperty("http.nonProxyHosts"));

    System.clearProperty("https.proxyHost");
    Map<String, String> properties =
        RegistryProxies.properties(
            org.odahu.pack.pydeps.index.Proxies.fromEnvironment(
                Map.of(
                    "https_proxy",
                    "http://user:p%40ss@proxy.example.com:3128",
                    "no_proxy",
                    ".corp.example, registry.local:5000"),
                null));
    assertEquals("proxy.example.com", properties.get("https.proxyHost"));
    assertEquals("3128", properties.get("https.proxyPort"));
    assertEquals("user", properties.get("https.proxyUser"));
    assertEquals("p@ss", properties.get("https.proxyPassword"));
    assertFalse(properties.containsKey("http.proxyHost"));
    assertEquals(
        "localhost|127.*|[::1]|corp.example|*.corp.example|registry.local|*.registry.local",
        properties.get("http.nonProxyHosts"));
    // Ranges are the selector's: the JVM's patterns would read them as names.
    assertEquals(
        "localhost|127.*|[::1]|corp.example|*.corp.example",
        RegistryProxies.nonProxyHosts(List.of("corp.example", "10.0.0.0/8", "fd00::/8")));
  }
}
