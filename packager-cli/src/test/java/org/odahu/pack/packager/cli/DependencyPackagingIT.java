package org.odahu.pack.packager.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.packager.PackagingPlan;
import org.odahu.pack.packager.image.ImageTarball;
import org.odahu.pack.packager.image.Sandbox;
import org.odahu.pack.packager.run.Packager;
import org.odahu.pack.packager.run.PackagingResult;
import org.odahu.pack.packager.testing.LocalRegistry;
import org.odahu.pack.packager.testing.RecordingListener;
import org.odahu.pack.packager.testing.Trees;
import org.odahu.pack.pydeps.testing.TestIndex;
import org.odahu.pack.pydeps.testing.TestPackages;

/**
 * A model whose packages no base has, packaged for real: its wheels come from a PEP 503 index on
 * loopback (pure ones, a console script, a compiled extension, decoys), are planned for the default
 * base's Python, installed as their own layer, and the docker-cli image, unpacked and run with
 * bwrap, predicts with them. Repackaging works with the index stopped; a dependency change pushes
 * only the dependency and model layers.
 */
class DependencyPackagingIT {
  @TempDir static Path wheels;
  @TempDir Path temp;

  @BeforeAll
  static void buildTheIndexWheels() throws Exception {
    TestPackages.write(wheels, Examples.python().toString());
  }

  @Test
  void theModelsPackagesGetALayerOfTheirOwnAndTheImagePredictsWithThem() throws Exception {
    Path artifact = DependencyFixtures.depsModel(temp, "alpha[fast]\n");
    RecordingListener recorder = new RecordingListener();
    Path tarball = temp.resolve("deps.tar");
    PackagingResult first;
    PackagingPlan plan;
    try (TestIndex index =
        TestIndex.start(wheels).yank("beta-2.1-py3-none-any.whl", "broken release")) {
      plan = DependencyFixtures.plan(temp, "pipIndexUrl: \"" + index.url() + "\"");
      first =
          DependencyFixtures.packager(recorder)
              .pack(artifact, plan, new Packager.TarballOutput(tarball, ImageFormat.Docker));
      assertPlanPrintedBeforeTheBuild(recorder.lines());
    }

    // The index is stopped: the same packaging comes from the cache, byte for byte.
    RecordingListener again = new RecordingListener();
    Path second = temp.resolve("again.tar");
    String digest =
        DependencyFixtures.packager(again)
            .pack(artifact, plan, new Packager.TarballOutput(second, ImageFormat.Docker))
            .image()
            .digest();
    assertEquals(first.image().digest(), digest, "same inputs, same image");
    assertTrue(
        again.lines().stream().anyMatch(l -> l.contains("(resolution reused from the cache)")),
        again.lines().toString());

    ImageTarball image = ImageTarball.read(tarball);
    Map<String, String> environment = DependencyFixtures.environment(image);
    assertEquals("/opt/odahu-pack/deps/site-packages", environment.get("PYTHONPATH"));
    assertEquals("/usr/bin/python3", environment.get("ODAHU_PYTHON"), "not the layer's bin");
    assertEquals(
        "/opt/odahu-pack/deps/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        environment.get("PATH"));
    int layers = image.layers().size();
    Map<String, TarArchiveEntry> dependencyLayer =
        DependencyFixtures.layerEntries(tarball, image.layers().get(layers - 2));
    assertEquals(
        0755, dependencyLayer.get("opt/odahu-pack/deps/bin/delta-hello").getMode() & 07777);
    assertEquals(
        0644,
        dependencyLayer.get("opt/odahu-pack/deps/site-packages/alpha/__init__.py").getMode()
            & 07777);
    assertEquals(
        java.nio.file.attribute.FileTime.fromMillis(1000),
        dependencyLayer
            .get("opt/odahu-pack/deps/site-packages/alpha/__init__.py")
            .getLastModifiedTime(),
        "Jib's fixed time");
    assertTrue(
        DependencyFixtures.layerEntries(tarball, image.layers().get(layers - 1))
            .containsKey("app/gppi/odahuflow_model/entrypoint.py"),
        "the model's layer is on top");

    assertEquals(
        "{\"prediction\": [[3, 2.0], [42, 2.0]], \"columns\": [\"sum\", \"beta\"]}",
        predict(image, "{\"columns\": [\"a\", \"b\"], \"data\": [[1, 2], [40, 2]]}"));
  }

  private static void assertPlanPrintedBeforeTheBuild(List<String> lines) {
    int plan = indexOf(lines, "Python dependencies for CPython 3.11");
    int build = indexOf(lines, "Building ");
    assertTrue(plan >= 0 && plan < build, lines.toString());
    String printed = lines.get(plan);
    for (String wheel :
        List.of(
            "alpha-1.0-py3-none-any.whl",
            "beta-2.0-py3-none-any.whl",
            "delta-1.0-py3-none-any.whl",
            "fastmath-1.0-cp311-cp311-manylinux_2_17_x86_64.whl")) {
      assertTrue(printed.contains(wheel), printed);
    }
    assertTrue(printed.contains("  to install (4):"), printed);
    assertTrue(printed.contains("  provided by the base image (1):\n    numpy 1.24"), printed);
    assertTrue(indexOf(lines, "Self-check passed inside the image") > build, lines.toString());
  }

  private static int indexOf(List<String> lines, String start) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(start)) {
        return i;
      }
    }
    return -1;
  }

  /** Runs {@code predict} in the unpacked docker-cli image and returns its results.json. */
  private String predict(ImageTarball image, String request) throws Exception {
    Path rootfs = temp.resolve("rootfs");
    try {
      image.unpack(rootfs);
      Path volume = Files.createDirectories(rootfs.resolve("volume"));
      Files.writeString(volume.resolve("request.json"), request);
      Sandbox.run(
          Sandbox.command(
              rootfs,
              image.config(),
              Sandbox.entrypoint(
                  image.config(), List.of("predict", "/volume/request.json", "/volume")),
              List.of()));
      return Files.readString(volume.resolve("results.json"), StandardCharsets.UTF_8);
    } finally {
      Trees.delete(rootfs);
    }
  }

  @Test
  void aChangedDependencyPushesOnlyTheDependencyAndModelLayers() throws Exception {
    Path registryDir = Files.createTempDirectory("odahu-registry-");
    try (TestIndex index = TestIndex.start(wheels);
        LocalRegistry registry = LocalRegistry.start(registryDir)) {
      PackagingPlan plan =
          DependencyFixtures.pushPlan(
              temp, registry.address(), "pipIndexUrl: \"" + index.url() + "\"");
      Packager packager = DependencyFixtures.packager(new RecordingListener());
      PackagingResult first =
          packager.pack(DependencyFixtures.depsModel(temp, "alpha[fast]\n"), plan, null);
      assertEquals(
          first.image().digest(),
          registry.manifestDigest(first.image().reference()),
          "the registry holds the verified image");
      int uploads = registry.uploadedBlobs().size();

      Path changed = DependencyFixtures.depsModel(temp, "alpha[fast]\nepsilon\n");
      PackagingResult second = packager.pack(changed, plan, null);
      JsonNode manifest = registry.manifest(second.image().reference());
      JsonNode layers = manifest.path("layers");
      int count = layers.size();
      List<String> uploaded =
          registry.uploadedBlobs().subList(uploads, registry.uploadedBlobs().size());
      Set<String> expected =
          Set.of(
              manifest.at("/config/digest").asText(),
              layers.get(count - 2).path("digest").asText(),
              layers.get(count - 1).path("digest").asText());
      assertTrue(
          Set.copyOf(uploaded).containsAll(expected),
          "the config, the dependency layer and the model layer: " + uploaded);
      // Besides them only Jib's own config, before the stop signal is added to it (a small blob
      // no manifest names): no layer of the base, Java or jars is sent again.
      assertTrue(uploaded.size() <= expected.size() + 1, "each once: " + uploaded);
      JsonNode before = registry.manifest(first.image().reference()).path("layers");
      for (int i = 0; i < count - 2; i++) {
        assertEquals(before.get(i), layers.get(i), "layer " + i + " (base, Java, jars) is shared");
        assertFalse(
            uploaded.contains(layers.get(i).path("digest").asText()), "layer " + i + " not sent");
      }
    } finally {
      Trees.delete(registryDir);
    }
  }
}
