package org.odahu.pack.packager.image;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which registries may use plain HTTP without the user's opt-in: this machine's, as Docker. */
class ImageBuilderTest {
  @Test
  void loopbackRegistriesAreLocalhostAndLoopbackLiterals() {
    assertTrue(ImageBuilder.isLoopback("localhost:5000/odahu/wine:1"));
    assertTrue(ImageBuilder.isLoopback("localhost/wine"));
    assertTrue(ImageBuilder.isLoopback("LocalHost:5000/wine"));
    assertTrue(ImageBuilder.isLoopback("127.0.0.1:5000/wine:1"));
    assertTrue(ImageBuilder.isLoopback("127.1.2.254:80/wine"));
    assertTrue(ImageBuilder.isLoopbackHost("[::1]"));
    assertTrue(ImageBuilder.isLoopbackHost("[0:0:0:0:0:0:0:1]"));
  }

  @Test
  void anythingElseIsRemote() {
    assertFalse(ImageBuilder.isLoopback("192.0.2.2:5000/wine:1"));
    assertFalse(ImageBuilder.isLoopback("128.0.0.1:5000/wine:1"));
    assertFalse(ImageBuilder.isLoopback("127.0.0.256:5000/wine:1"));
    assertFalse(ImageBuilder.isLoopback("127.0.0.1.example.com/wine:1"));
    assertFalse(ImageBuilder.isLoopback("localhost.example.com/wine:1"));
    assertFalse(ImageBuilder.isLoopback("wine:1"), "Docker Hub");
    assertFalse(ImageBuilder.isLoopback("registry.example.com/localhost/wine:1"));
    assertFalse(ImageBuilder.isLoopbackHost("[::2]"));
    assertFalse(ImageBuilder.isLoopbackHost("[not-an-address]"));
  }
}
