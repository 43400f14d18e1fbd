package org.odahu.pack.pydeps.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which hosts {@code no_proxy} sends directly, as curl and requests read it. */
class ProxiesTest {
  private static Proxies noProxy(String value) {
    return Proxies.fromEnvironment(
        Map.of("https_proxy", "http://proxy.corp:3128", "no_proxy", value), null);
  }

  @Test
  void namesCoverThemselvesAndTheirSubdomains() {
    Proxies proxies = noProxy("example.com, .corp.example, registry.local:5000");
    assertTrue(proxies.bypasses("example.com"));
    assertTrue(proxies.bypasses("Pypi.Example.COM"));
    assertTrue(proxies.bypasses("corp.example"));
    assertTrue(proxies.bypasses("a.b.corp.example"));
    assertTrue(proxies.bypasses("registry.local"));
    assertFalse(proxies.bypasses("notexample.com"));
    assertFalse(proxies.bypasses("example.com.evil.org"));
    assertFalse(proxies.bypasses("pypi.org"));
  }

  @Test
  void rangesCoverTheAddressesInThem() {
    Proxies proxies = noProxy("10.0.0.0/8,172.16.0.0/12, 192.168.1.7/32, fd00::/8");
    assertTrue(proxies.bypasses("10.0.0.1"));
    assertTrue(proxies.bypasses("10.255.255.255"));
    assertFalse(proxies.bypasses("11.0.0.1"));
    assertTrue(proxies.bypasses("172.31.200.1"));
    assertFalse(proxies.bypasses("172.32.0.1"));
    assertTrue(proxies.bypasses("192.168.1.7"));
    assertFalse(proxies.bypasses("192.168.1.8"));
    assertTrue(proxies.bypasses("[fd12:3456::1]"));
    assertTrue(proxies.bypasses("fdff::"));
    assertFalse(proxies.bypasses("[fe80::1]"));
    // A name is not resolved to be compared with a range, as curl and requests do not.
    assertFalse(proxies.bypasses("localhost"));
    assertFalse(proxies.bypasses("10.0.0.1.nip.io"));
    assertEquals(Optional.empty(), proxies.proxyFor(URI.create("https://10.96.0.15:5000/v2/")));
    assertEquals(
        Optional.of(URI.create("http://proxy.corp:3128")),
        proxies.proxyFor(URI.create("https://192.0.2.1/v2/")));
  }

  @Test
  void addressesMatchHoweverTheyAreWritten() {
    Proxies proxies = noProxy("[::1]:8080, 2001:db8::1, 192.0.2.10");
    assertTrue(proxies.bypasses("[::1]"));
    assertTrue(proxies.bypasses("::1"));
    assertTrue(proxies.bypasses("[2001:db8:0:0:0:0:0:1]"));
    assertTrue(proxies.bypasses("192.0.2.10"));
    assertFalse(proxies.bypasses("192.0.2.1"));
    assertFalse(proxies.bypasses("2001:db8::2"));
  }

  @Test
  void malformedRangesMatchNothingAndStarMatchesEverything() {
    Proxies proxies = noProxy("10.0.0.0/33, 10.0.0.0/x, 300.0.0.0/8, /8, fd00::/129");
    assertFalse(proxies.bypasses("10.0.0.1"));
    assertFalse(proxies.bypasses("fd00::1"));
    assertTrue(noProxy("*").bypasses("anything.example"));
    assertTrue(noProxy("corp.example,*").bypasses("10.0.0.1"));
    assertFalse(Proxies.NONE.bypasses("10.0.0.1"));
  }
}
