package org.odahu.pack.packager.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.packager.testing.TinyBase;

/**
 * Tarballs built with Jib and finished: the config has the user and the stop signal, an OCI
 * layout's manifest has the annotations and its index names it, the reported digests are those of
 * what was written, and two builds write the same bytes.
 */
class FinishedTarballTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path temp;

  private BuiltImage build(Path tarball, ImageFormat format) throws IOException {
    Path app = Files.createDirectories(temp.resolve("app"));
    Files.writeString(app.resolve("model.txt"), "weights\n");
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("org.opencontainers.image.title", "tiny");
    labels.put("org.opencontainers.image.version", "1.0");
    ImagePlan plan =
        new ImagePlan(
            BaseImage.tarball(TinyBase.write(temp.resolve("base.tar"), "tiny/base:1")),
            List.of(Layers.directory("model", app, "/app", Set.of())),
            Map.of("A", "1"),
            List.of("/bin/true"),
            null,
            labels,
            "/app",
            "10001:10001",
            "SIGTERM",
            labels);
    return new ImageBuilder(temp.resolve("cache"), PackagingListener.NONE, "test")
        .build(plan, new ImageDestination.Tarball("tiny:1.0", tarball, format));
  }

  @Test
  void anOciLayoutIsFinishedAndItsIndexNamesTheFinishedManifest() throws IOException {
    Path tarball = temp.resolve("out/tiny.tar");
    BuiltImage built = build(tarball, ImageFormat.OCI);
    Map<String, byte[]> entries = entries(tarball);
    JsonNode index = JSON.readTree(entries.get("index.json"));
    assertEquals(built.digest(), index.at("/manifests/0/digest").asText());
    assertEquals(
        "tiny:1.0",
        index.at("/manifests/0/annotations/org.opencontainers.image.ref.name").asText());
    byte[] manifestBytes = entries.get(blob(built.digest()));
    assertEquals(built.digest(), Digests.sha256(manifestBytes), "the blob's name is its digest");
    assertEquals(manifestBytes.length, index.at("/manifests/0/size").asLong());
    JsonNode manifest = JSON.readTree(manifestBytes);
    assertEquals("tiny", manifest.at("/annotations/org.opencontainers.image.title").asText());
    assertEquals(built.imageId(), manifest.at("/config/digest").asText());
    byte[] config = entries.get(blob(built.imageId()));
    assertEquals(built.imageId(), Digests.sha256(config));
    Set<String> blobs =
        new java.util.TreeSet<>(Set.of(blob(built.digest()), blob(built.imageId())));
    manifest.path("layers").forEach(layer -> blobs.add(blob(layer.path("digest").asText())));
    assertEquals(
        blobs,
        new java.util.TreeSet<>(
            entries.keySet().stream().filter(name -> name.startsWith("blobs/")).toList()),
        "no stale config or manifest");

    ImageTarball image = ImageTarball.read(tarball);
    assertEquals("SIGTERM", image.config().at("/config/StopSignal").asText());
    assertEquals("10001:10001", image.config().at("/config/User").asText());
    assertEquals(
        "tiny", image.config().at("/config/Labels/org.opencontainers.image.title").asText());
    assertEquals(
        "1.0", image.manifest().at("/annotations/org.opencontainers.image.version").asText());
    try (Stream<Path> left = Files.list(tarball.getParent())) {
      assertEquals(List.of(tarball), left.toList(), "Jib's own tarball is gone");
    }

    Path again = temp.resolve("again.tar");
    assertEquals(built.digest(), build(again, ImageFormat.OCI).digest());
    assertArrayEquals(Files.readAllBytes(tarball), Files.readAllBytes(again));
  }

  @Test
  void aDockerTarballGetsTheFinishedConfigAndTheDigestAPushWouldHave() throws IOException {
    Path tarball = temp.resolve("tiny-docker.tar");
    BuiltImage built = build(tarball, ImageFormat.Docker);
    Map<String, byte[]> entries = entries(tarball);
    assertEquals(built.imageId(), Digests.sha256(entries.get("config.json")));
    ImageTarball image = ImageTarball.read(tarball);
    assertEquals("SIGTERM", image.config().at("/config/StopSignal").asText());
    assertEquals("10001:10001", image.config().at("/config/User").asText());
    assertEquals(built.imageId(), image.digest());

    // Finishing with nothing to add must give the very digest Jib reports for its own tarball.
    Path jibOnly = temp.resolve("jib-only.tar");
    Path copy = temp.resolve("copy.tar");
    BuiltImage jib =
        new ImageBuilder(temp.resolve("cache"), PackagingListener.NONE, "test")
            .build(
                new ImagePlan(
                    BaseImage.tarball(temp.resolve("base.tar")),
                    List.of(),
                    Map.of(),
                    List.of("/bin/true"),
                    null,
                    Map.of(),
                    "/"),
                new ImageDestination.Tarball("tiny:jib", jibOnly, ImageFormat.Docker));
    TarballFinisher.Finished unchanged =
        TarballFinisher.finish(jibOnly, copy, new ImageFinish(null, Map.of()));
    assertEquals(jib.digest(), unchanged.digest());
    assertEquals(jib.imageId(), unchanged.imageId());
  }

  private static String blob(String digest) {
    return "blobs/" + digest.replace(':', '/');
  }

  private static Map<String, byte[]> entries(Path tarball) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(tarball))) {
      for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
        entries.put(entry.getName(), tar.readAllBytes());
      }
    }
    return entries;
  }
}
