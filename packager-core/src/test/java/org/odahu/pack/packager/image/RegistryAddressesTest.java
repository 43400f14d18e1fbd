package org.odahu.pack.packager.image;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which registries may use plain HTTP without the user's opt-in: this machine's, as Docker. */
class RegistryAddressesTest {
  @Test
  void loopbackRegistriesAreLocalhostAndLoopbackLiterals() {
    assertTrue(RegistryAddresses.isLoopback("localhost:5000/odahu/wine:1"));
    assertTrue(RegistryAddresses.isLoopback("localhost/wine"));
    assertTrue(RegistryAddresses.isLoopback("LocalHost:5000/wine"));
    assertTrue(RegistryAddresses.isLoopback("127.0.0.1:5000/wine:1"));
    assertTrue(RegistryAddresses.isLoopback("127.1.2.254:80/wine"));
    assertTrue(RegistryAddresses.isLoopbackHost("[::1]"));
    assertTrue(RegistryAddresses.isLoopbackHost("[0:0:0:0:0:0:0:1]"));
  }

  @Test
  void anythingElseIsRemote() {
    assertFalse(RegistryAddresses.isLoopback("192.0.2.2:5000/wine:1"));
    assertFalse(RegistryAddresses.isLoopback("128.0.0.1:5000/wine:1"));
    assertFalse(RegistryAddresses.isLoopback("127.0.0.256:5000/wine:1"));
    assertFalse(RegistryAddresses.isLoopback("127.0.0.1.example.com/wine:1"));
    assertFalse(RegistryAddresses.isLoopback("localhost.example.com/wine:1"));
    assertFalse(RegistryAddresses.isLoopback("wine:1"), "Docker Hub");
    assertFalse(RegistryAddresses.isLoopback("registry.example.com/localhost/wine:1"));
    assertFalse(RegistryAddresses.isLoopbackHost("[::2]"));
    assertFalse(RegistryAddresses.isLoopbackHost("[not-an-address]"));
  }
}
