package org.odahu.pack.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.packager.image.ImageTarball;
import org.odahu.pack.packager.testing.LocalRegistry;
import org.odahu.pack.packager.testing.Trees;

/**
 * The same packaging, packed by two separate runs of the distribution (two JVMs, so nothing that
 * varies between JVMs, such as the iteration order of {@code Map.copyOf}, can hide), gives the same
 * manifest digest in a registry and the same bytes in a tarball, labels and annotations included.
 */
class ReproducibleImagesIT {
  @TempDir Path temp;

  private Path manifest(String registry) throws IOException {
    return Files.writeString(
        temp.resolve("packaging.yaml"),
        ("kind: Connection\nid: local\nspec: {type: docker, uri: '%s/repro'}\n---\n"
                + "kind: ModelPackaging\nid: wine\nspec:\n  artifactName: wine.zip\n"
                + "  integrationName: docker-rest\n"
                + "  arguments: {imageName: '{{ Name }}:{{ Version }}', workers: 2,\n"
                + "    imageSource: 'https://git.example.com/odahu/wine', imageRevision: '9d0c1e2'}\n"
                + "  targets: [{name: docker-push, connectionName: local}]\n")
            .formatted(registry));
  }

  /** {@code odahu-pack pack run} in a JVM of its own. */
  private Launcher.Result packRun(Path manifest, String... options) throws Exception {
    List<String> arguments =
        new ArrayList<>(
            List.of(
                "pack",
                "run",
                "--id=wine",
                "-f",
                manifest.toString(),
                "--artifact-path",
                Examples.directory().toString(),
                "--no-disable-package-targets",
                "--result-dir",
                temp.toString()));
    arguments.addAll(List.of(options));
    Launcher.Result result = Launcher.run(Launcher.builder("odahu-pack", arguments));
    assertEquals(0, result.status(), result.output());
    return result;
  }

  @Test
  void twoRunsPushTheSameManifestAndWriteTheSameTarball() throws Exception {
    Path registryDir = Files.createTempDirectory("odahu-registry-");
    try (LocalRegistry registry = LocalRegistry.start(registryDir)) {
      Path manifest = manifest(registry.address());
      String reference = registry.address() + "/repro/wine:1.0";
      packRun(manifest);
      String first = registry.manifestDigest(reference);
      JsonNode firstConfig = config(registry, reference, "first.tar");
      // A tarball's options, given to a packaging that pushes, are said to do nothing.
      Launcher.Result pushed = packRun(manifest, "--format=oci");
      assertTrue(
          pushed.output().contains("--format only apply to a tarball, and this packaging pushes"),
          pushed.output());
      assertEquals(
          firstConfig.at("/config/Env"),
          config(registry, reference, "second.tar").at("/config/Env"));
      assertEquals(first, registry.manifestDigest(reference), "the pushed manifest's digest");
      JsonNode annotations = registry.manifest(reference).path("annotations");
      assertOciLabels(annotations);
      assertOciLabels(firstConfig.at("/config/Labels"));
      assertEquals("SIGTERM", firstConfig.at("/config/StopSignal").asText());

      Path one = temp.resolve("one.tar");
      Path two = temp.resolve("two.tar");
      packRun(manifest, "--disable-target=docker-push", "--format=oci", "--output=" + one);
      packRun(manifest, "--disable-target=docker-push", "--format=oci", "--output=" + two);
      assertArrayEquals(Files.readAllBytes(one), Files.readAllBytes(two), "the tarballs' bytes");
      assertEquals(
          annotations,
          ImageTarball.read(one).manifest().path("annotations"),
          "a tarball's manifest says what the pushed one says");
    } finally {
      Trees.delete(registryDir);
    }
  }

  /**
   * What the image says it is, nothing from the clock or the machine: the model, and the base
   * image's tag and image id (the default base is a docker save tarball).
   */
  private static void assertOciLabels(JsonNode labels) {
    assertEquals("wine", labels.path("org.opencontainers.image.title").asText(), labels::toString);
    assertEquals("1.0", labels.path("org.opencontainers.image.version").asText());
    assertEquals("9d0c1e2", labels.path("org.opencontainers.image.revision").asText());
    assertEquals(
        "https://git.example.com/odahu/wine",
        labels.path("org.opencontainers.image.source").asText());
    assertTrue(
        labels
            .path("org.opencontainers.image.base.name")
            .asText()
            .startsWith("odahu-pack/debian-python:"),
        labels::toString);
    assertTrue(
        labels.path("org.opencontainers.image.base.digest").asText().matches("sha256:[0-9a-f]{64}"),
        labels::toString);
    assertEquals("wine", labels.path("org.odahu.pack.model.name").asText());
    assertEquals("1.0", labels.path("org.odahu.pack.model.version").asText());
  }

  private JsonNode config(LocalRegistry registry, String reference, String tarball)
      throws Exception {
    return ImageTarball.read(registry.pull(reference, temp.resolve(tarball), null)).config();
  }
}
