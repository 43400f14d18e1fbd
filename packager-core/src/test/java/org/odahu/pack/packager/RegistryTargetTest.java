package org.odahu.pack.packager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which registry a docker connection names, and so where its pull credentials may go. */
class RegistryTargetTest {
  private static RegistryTarget connection(String uri) {
    return new RegistryTarget(uri, new RegistryCredentials("bot", "secret"));
  }

  @Test
  void theUrisFirstSegmentIsTheRegistryWhateverItsCaseSchemeOrPath() {
    RegistryTarget target = connection("https://Registry.Example.com/odahu/");
    assertEquals(Optional.of("registry.example.com"), target.registry());
    assertTrue(target.serves("registry.example.com/odahu/python:3.11"));
    assertTrue(target.serves("REGISTRY.example.com/other/base@sha256:" + "a".repeat(64)));
    assertFalse(target.serves("registry.example.com.attacker.net/odahu/python:3.11"));
    assertFalse(target.serves("python:3.11"));
    assertFalse(target.serves("registry.example.com:5000/odahu/python:3.11"));
    // docker login ignores the path, whatever it holds
    assertTrue(
        connection(" nexus.example.com/repository/Docker-Hosted/ ")
            .serves("nexus.example.com/base:1"));
    assertTrue(connection("registry.example.com/Team:tag").serves("registry.example.com/base:1"));
  }

  @Test
  void aNameWithoutADotIsAHostAsDockerLoginReadsItNotDockerHub() {
    RegistryTarget inCluster = connection("registry");
    assertEquals(Optional.of("registry"), inCluster.registry());
    assertFalse(inCluster.serves("python:3.11"), "Docker Hub never gets an in-cluster password");
    assertFalse(inCluster.serves("registry/base:1"), "which Docker itself pulls from Docker Hub");
    assertFalse(connection("LOCALHOST").serves("python:3.11"));
    assertTrue(connection("LOCALHOST:5000").serves("localhost:5000/base:1"));
  }

  @Test
  void portsAndLoopbackAreRegistriesOfTheirOwn() {
    assertTrue(connection("127.0.0.1:5000").serves("127.0.0.1:5000/base:1"));
    assertFalse(connection("127.0.0.1:5000").serves("127.0.0.1:5001/base:1"));
    assertTrue(connection("localhost").serves("localhost/base:1"));
  }

  @Test
  void dockerHubByAnyOfItsNamesOrAnEmptyUri() {
    for (String uri :
        new String[] {"", " ", "docker.io", "https://index.docker.io/v1/", "Docker.io/odahu"}) {
      RegistryTarget hub = connection(uri);
      assertEquals(Optional.of("registry-1.docker.io"), hub.registry(), uri);
      assertTrue(hub.serves("python:3.11"), uri);
      assertTrue(hub.serves("docker.io/library/python:3.11"), uri);
      assertTrue(hub.serves("registry.hub.docker.com/odahu/base:1"), uri);
      assertFalse(hub.serves("gcr.io/odahu/base:1"), uri);
    }
    assertEquals(Optional.of("registry-1.docker.io"), new RegistryTarget(null, null).registry());
  }

  @Test
  void aUriThatIsNoRegistryServesNothing() {
    RegistryTarget broken = connection("https://bot:TOKEN@registry.example.com");
    assertEquals(Optional.empty(), broken.registry());
    assertFalse(broken.serves("registry.example.com/base:1"));
    assertFalse(connection("registry.example.com").serves("Not:A:Reference"));
  }

  @Test
  void imagesArePushedUnderTheUri() {
    assertEquals(
        "registry.example.com/odahu/w:1",
        connection("registry.example.com/odahu/").imageReference("w:1"));
    assertEquals("w:1", connection("").imageReference("w:1"));
  }
}
