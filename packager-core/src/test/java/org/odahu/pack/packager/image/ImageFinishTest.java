package org.odahu.pack.packager.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The stop signal goes into the config, the annotations and the new config into the manifest. */
class ImageFinishTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String CONFIG =
      "{\"created\":\"1970-01-01T00:00:00Z\",\"architecture\":\"amd64\",\"os\":\"linux\","
          + "\"config\":{\"Env\":[\"A=1\"],\"User\":\"10001:10001\"},"
          + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}";

  private static final String MANIFEST =
      "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
          + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\","
          + "\"digest\":\"sha256:0000000000000000000000000000000000000000000000000000000000000000\","
          + "\"size\":1},\"layers\":[]}";

  private static ImageFinish finish() {
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put("org.opencontainers.image.title", "wine");
    annotations.put("org.opencontainers.image.version", "1.0");
    return new ImageFinish("SIGTERM", annotations);
  }

  @Test
  void theConfigGetsTheStopSignalAndKeepsEverythingElse() throws IOException {
    byte[] config = finish().config(CONFIG.getBytes(StandardCharsets.UTF_8));
    JsonNode finished = JSON.readTree(config);
    assertEquals("SIGTERM", finished.at("/config/StopSignal").asText());
    assertEquals("10001:10001", finished.at("/config/User").asText());
    assertEquals("A=1", finished.at("/config/Env/0").asText());
    assertEquals(
        List.of("created", "architecture", "os", "config", "rootfs"),
        List.copyOf(iterable(finished.fieldNames())));
    assertArrayEquals(
        config, finish().config(CONFIG.getBytes(StandardCharsets.UTF_8)), "the same every time");
  }

  @Test
  void theManifestPointsAtTheFinishedConfigAndCarriesTheAnnotationsInOrder() throws IOException {
    byte[] config = finish().config(CONFIG.getBytes(StandardCharsets.UTF_8));
    JsonNode manifest =
        JSON.readTree(finish().ociManifest(MANIFEST.getBytes(StandardCharsets.UTF_8), config));
    assertEquals(Digests.sha256(config), manifest.at("/config/digest").asText());
    assertEquals(config.length, manifest.at("/config/size").asLong());
    assertEquals(
        List.of("org.opencontainers.image.title", "org.opencontainers.image.version"),
        List.copyOf(iterable(manifest.path("annotations").fieldNames())));
    assertEquals("wine", manifest.at("/annotations/org.opencontainers.image.title").asText());
  }

  @Test
  void withoutAnnotationsTheManifestHasNone() throws IOException {
    ImageFinish signalOnly = new ImageFinish("SIGTERM", Map.of());
    assertFalse(signalOnly.changesNothing());
    JsonNode manifest =
        JSON.readTree(
            signalOnly.ociManifest(
                MANIFEST.getBytes(StandardCharsets.UTF_8), new byte[] {'{', '}'}));
    assertTrue(manifest.path("annotations").isMissingNode());
    assertTrue(new ImageFinish(null, Map.of()).changesNothing());
  }

  @Test
  void aDockerManifestIsNotMistakenForAnOciOne() {
    String docker =
        MANIFEST.replace(
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.docker.distribution.manifest.v2+json");
    IOException e =
        assertThrows(
            IOException.class,
            () -> finish().ociManifest(docker.getBytes(StandardCharsets.UTF_8), new byte[0]));
    assertTrue(e.getMessage().contains("expected an OCI image manifest"), e.getMessage());
  }

  private static <T> List<T> iterable(java.util.Iterator<T> iterator) {
    List<T> list = new java.util.ArrayList<>();
    iterator.forEachRemaining(list::add);
    return list;
  }
}
