package org.odahu.pack.packager.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.baseimages.testing.TestBase;
import org.odahu.pack.gppi.testing.Examples;
import org.odahu.pack.packager.Packager;
import org.odahu.pack.packager.PackagingPlan;
import org.odahu.pack.packager.PackagingPlans;
import org.odahu.pack.packager.PackagingResult;
import org.odahu.pack.packager.image.ImageTarball;
import org.odahu.pack.packager.image.PackagingListener;
import org.odahu.pack.packager.image.Sandbox;
import org.odahu.pack.packager.manifest.ResourceSet;
import org.odahu.pack.packager.testing.LocalRegistry;
import org.odahu.pack.packager.testing.Trees;

/**
 * docker-cli images for real: pushed to a registry, pulled back with skopeo, unpacked, and their
 * {@code invoke} entrypoint run with bwrap exactly as {@code docker run IMAGE predict ...} would.
 */
class CliPackagingIT {
  @TempDir Path temp;

  @Test
  void pushedCliImagePredictsAndDescribesTheModel() throws Exception {
    Path registryDir = Files.createTempDirectory("odahu-registry-");
    Path rootfs = temp.resolve("rootfs");
    try (LocalRegistry registry = LocalRegistry.start(registryDir)) {
      Path manifests =
          Files.writeString(
              temp.resolve("packaging.yaml"),
              "kind: Connection\nid: registry\nspec: {type: docker, uri: \""
                  + registry.address()
                  + "/cli\"}\n"
                  + "---\nkind: ModelPackaging\nid: wine-cli\nspec:\n  artifactName: wine.zip\n"
                  + "  integrationName: docker-cli\n  targets: [{name: docker-push, connectionName: registry}]\n");
      PackagingPlan plan =
          PackagingPlans.local(
              ResourceSet.read(List.of(manifests), List.of()), "wine-cli", Set.of(), false);
      Packager packager = TestBase.packager(new CliImageLayout(), PackagingListener.NONE);
      PackagingResult result = packager.pack(Examples.gzipTarball("wine"), plan, null);
      assertTrue(
          result.image().reference().matches("127\\.0\\.0\\.1:\\d+/cli/wine-1\\.0:[0-9a-f-]{36}"),
          result.image().reference());

      ImageTarball image =
          ImageTarball.read(
              registry.pull(result.image().reference(), temp.resolve("cli.tar"), null));
      assertEquals("/app/gppi/odahuflow_model", env(image, "MODEL_LOCATION"));
      assertEquals("entrypoint", env(image, "MODEL_ENTRYPOINT"));
      image.unpack(rootfs);
      Path volume = Files.createDirectories(rootfs.resolve("volume"));
      Files.copy(Examples.data("wine-request.json"), volume.resolve("request.json"));

      String predicted =
          Sandbox.run(
              Sandbox.command(
                  rootfs,
                  image.config(),
                  Sandbox.entrypoint(
                      image.config(),
                      List.of(
                          "predict",
                          "--output_file_name",
                          "answer.txt",
                          "/volume/request.json",
                          "/volume/")),
                  List.of()));
      assertTrue(
          predicted.contains("Prediction is successful. Result file: /volume/answer.txt\n"),
          predicted);
      String answer = Files.readString(volume.resolve("answer.txt"), StandardCharsets.UTF_8);
      assertTrue(
          answer.matches(
              "\\{\"prediction\": \\[6\\.388157790966\\d+], \"columns\": \\[\"quality\"]}"),
          answer);

      String info =
          Sandbox.run(
              Sandbox.command(
                  rootfs,
                  image.config(),
                  Sandbox.entrypoint(image.config(), List.of("info")),
                  List.of()));
      assertTrue(
          info.contains(
              "Input schema:\n{\n    \"columns\": {\n        \"example\": [\n            \"fixed acidity\","),
          info);
      assertTrue(info.contains("Output schema:\n{\n    \"prediction\": {"), info);
    } finally {
      Trees.delete(rootfs);
      Trees.delete(registryDir);
    }
  }

  private static String env(ImageTarball image, String name) {
    for (var entry : image.config().at("/config/Env")) {
      if (entry.asText().startsWith(name + "=")) {
        return entry.asText().substring(name.length() + 1);
      }
    }
    throw new AssertionError(name + " not set");
  }

  @Test
  void ociTarballWithoutAPushTarget() throws Exception {
    Path manifests =
        Files.writeString(
            temp.resolve("packaging.yaml"),
            "kind: ModelPackaging\nid: simple-cli\nspec: {artifactName: simple.zip, integrationName: docker-cli,"
                + " arguments: {imageName: \"odahu/{{ Name }}:{{ Version }}\"}}\n");
    PackagingPlan plan =
        PackagingPlans.local(
            ResourceSet.read(List.of(manifests), List.of()), "simple-cli", Set.of(), false);
    Packager packager = TestBase.packager(new CliImageLayout(), PackagingListener.NONE);
    Path tarball = temp.resolve("simple-oci.tar");
    PackagingResult result =
        packager.pack(
            Examples.artifact("simple"),
            plan,
            new Packager.TarballOutput(tarball, ImageFormat.OCI));
    assertEquals("odahu/simple:1.0", result.image().reference());
    assertEquals(tarball, result.tarball());
    ImageTarball image = ImageTarball.read(tarball);
    assertEquals(4, image.layers().size(), "base, Java runtime, runtime jars, model");
    Path result1 = Packager.writeResult(temp, result.image().reference());
    assertEquals("{\"image\":\"odahu/simple:1.0\"}", Files.readString(result1));
  }
}
