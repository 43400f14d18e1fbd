package org.odahu.pack.packager.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.files.ExitCleanup;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.baseimages.testing.TestBase;
import org.odahu.pack.packager.PackagingPlan;
import org.odahu.pack.packager.image.ImageBuilder;
import org.odahu.pack.packager.image.ImageDestination;
import org.odahu.pack.packager.image.ImagePlan;
import org.odahu.pack.packager.image.ImageTarball;
import org.odahu.pack.packager.image.JavaRuntime;
import org.odahu.pack.packager.image.Layers;
import org.odahu.pack.packager.image.PackagingListener;
import org.odahu.pack.packager.image.Sandbox;
import org.odahu.pack.packager.manifest.ResourceSet;
import org.odahu.pack.packager.run.Packager;
import org.odahu.pack.packager.run.PackagingPlans;
import org.odahu.pack.packager.run.PackagingResult;
import org.odahu.pack.packager.testing.ImageTarballs;
import org.odahu.pack.packager.testing.LocalRegistry;
import org.odahu.pack.packager.testing.TestLayouts;
import org.odahu.pack.packager.testing.TestPackagers;
import org.odahu.pack.packager.testing.Trees;

/**
 * docker-cli images for real: pushed to a registry, pulled back with skopeo, unpacked, and their
 * {@code invoke} entrypoint run with bwrap exactly as {@code docker run IMAGE predict ...} would.
 */
class CliPackagingIT {
  private static final PackagingPlans PLANS = new PackagingPlans(TestLayouts.builtIn());

  @TempDir Path temp;

  private PackagingPlan plan(String packaging, String id) throws Exception {
    Path manifests = Files.writeString(temp.resolve(id + ".yaml"), packaging);
    return PLANS.local(ResourceSet.read(List.of(manifests), List.of()), id, Set.of(), false);
  }

  /** Runs the image's entrypoint with {@code arguments} in the unpacked {@code rootfs}. */
  private static Sandbox.Output invoke(ImageTarball image, Path rootfs, String... arguments)
      throws Exception {
    return Sandbox.run(
        Sandbox.command(
            rootfs,
            image.config(),
            Sandbox.entrypoint(image.config(), List.of(arguments)),
            List.of()));
  }

  /**
   * Runs the image's entrypoint as a restricted pod would (uid 10001, read-only root, /tmp
   * writable), with {@code volume} mounted writable at {@code /volume}.
   */
  private static Sandbox.Output invokeAsPod(
      ImageTarball image, Path rootfs, Path volume, String... arguments) throws Exception {
    Sandbox.Pod pod = Sandbox.Pod.restricted(image.config()).withVolume("/volume", volume);
    return Sandbox.run(
        Sandbox.asPod(
            rootfs,
            image.config(),
            Sandbox.entrypoint(image.config(), List.of(arguments)),
            List.of(),
            pod));
  }

  @Test
  void pushedCliImagePredictsChecksAndDescribesTheModel() throws Exception {
    Path registryDir = Files.createTempDirectory("odahu-registry-");
    Path rootfs = temp.resolve("rootfs");
    try (LocalRegistry registry = LocalRegistry.start(registryDir)) {
      PackagingPlan plan =
          plan(
              "kind: Connection\nid: registry\nspec: {type: docker, uri: \""
                  + registry.address()
                  + "/cli\"}\n"
                  + "---\nkind: ModelPackaging\nid: wine-cli\nspec:\n  artifactName: wine.zip\n"
                  + "  integrationName: docker-cli\n  targets: [{name: docker-push, connectionName: registry}]\n",
              "wine-cli");
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
      assertEquals("10001:10001", image.config().at("/config/User").asText());
      assertEquals("SIGTERM", image.config().at("/config/StopSignal").asText());
      // Run by root, the sandbox drops to uid 10001 on the host too: it must reach the rootfs,
      // and write to the volume as a pod's fsGroup would let it.
      Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
      image.unpack(rootfs);
      Path volume =
          Files.createDirectories(
              temp.resolve("volume"),
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
      Files.setPosixFilePermissions(volume, PosixFilePermissions.fromString("rwxrwxrwx"));
      Files.copy(Examples.data("wine-request.json"), volume.resolve("request.json"));

      Sandbox.Output named =
          invokeAsPod(
              image,
              rootfs,
              volume,
              "predict",
              "--output_file_name",
              "answer.txt",
              "/volume/request.json",
              "/volume/");
      assertEquals("Prediction is successful. Result file: /volume/answer.txt\n", named.stdout());
      assertWineAnswer(Files.readString(volume.resolve("answer.txt"), StandardCharsets.UTF_8));

      Sandbox.Output unnamed =
          invokeAsPod(image, rootfs, volume, "predict", "/volume/request.json", "/volume/");
      assertEquals(
          "Prediction is successful. Result file: /volume/results.json\n", unnamed.stdout());
      assertWineAnswer(Files.readString(volume.resolve("results.json"), StandardCharsets.UTF_8));

      String selfCheck = invokeAsPod(image, rootfs, volume, "self_check").stdout();
      assertTrue(
          selfCheck.matches(
              "Self-check is successful \\(head_input\\.pkl: \\d+ rows predicted\\)\n"),
          selfCheck);

      // The worker, guessed from MODEL_LOCATION and MODEL_ENTRYPOINT, starts before picocli.
      Sandbox.Output verbose = invokeAsPod(image, rootfs, volume, "-v", "info");
      assertTrue(
          verbose.stderr().contains("worker-1 takes over the Python process started early"),
          verbose.stderr());
      String info = verbose.stdout();
      assertTrue(
          info.startsWith(
              "Input schema:\n{\n    \"columns\": {\n        \"example\": [\n            \"fixed acidity\","),
          info);
      assertTrue(info.contains("Output schema:\n{\n    \"prediction\": {"), info);
    } finally {
      Trees.delete(rootfs);
      Trees.delete(registryDir);
    }
  }

  /**
   * ODAHU's answer file for the wine request: its exact shape, and the golden value within a
   * tolerance (BLAS differs by CPU).
   */
  private static void assertWineAnswer(String answer) throws Exception {
    assertTrue(
        answer.matches("\\{\"prediction\": \\[[0-9.]+], \"columns\": \\[\"quality\"]}"), answer);
    JsonNode json = new ObjectMapper().readTree(answer);
    assertEquals(Examples.WINE_GOLDEN, json.at("/prediction/0").asDouble(), 1e-9, answer);
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
    PackagingPlan plan =
        plan(
            "kind: ModelPackaging\nid: simple-cli\nspec: {artifactName: simple.zip, integrationName: docker-cli,"
                + " arguments: {imageName: \"odahu/{{ Name }}:{{ Version }}\"}}\n",
            "simple-cli");
    Packager packager = TestBase.packager(new CliImageLayout(), PackagingListener.NONE);
    Path tarball = temp.resolve("simple-oci.tar");
    PackagingResult result =
        packager.pack(
            Examples.artifact("simple"),
            plan,
            new Packager.TarballOutput(tarball, ImageFormat.OCI));
    assertEquals("odahu/simple:1.0", result.image().reference());
    assertEquals(tarball, result.tarball());
    Set<String> entries = ImageTarballs.entryNames(tarball);
    assertTrue(entries.containsAll(Set.of("oci-layout", "index.json")), entries::toString);
    assertFalse(entries.contains("manifest.json"), entries::toString);
    ImageTarball image = ImageTarball.read(tarball);
    assertEquals(5, image.layers().size(), "base, Java runtime, runtime jars, class data, model");
    Path result1 = Packager.writeResult(temp, result.image().reference());
    assertEquals("{\"image\": \"odahu/simple:1.0\"}", Files.readString(result1));
  }

  @Test
  void aBaseWithItsOwnJavaGetsNoJavaRuntimeLayer() throws Exception {
    String javaHome = "/usr/lib/jvm/base-jre";
    Path baseWithJava = temp.resolve("base-with-java.tar");
    new ImageBuilder(TestPackagers.cacheDirectory().resolve("jib"), PackagingListener.NONE, "test")
        .build(
            new ImagePlan(
                TestBase.recipe(PackagingListener.NONE).ensure(),
                List.of(
                    Layers.directory(
                        "jre",
                        JavaRuntime.ensure(
                            TestPackagers.cacheDirectory(),
                            PackagingListener.NONE,
                            ExitCleanup.manual()),
                        javaHome,
                        Set.of())),
                Map.of(),
                List.of(),
                null,
                Map.of(),
                "/"),
            new ImageDestination.Tarball("base-with-java:1", baseWithJava, ImageFormat.Docker));
    PackagingPlan plan =
        plan(
            "kind: ModelPackaging\nid: simple-cli\nspec: {artifactName: simple.zip, integrationName: docker-cli,"
                + " arguments: {dockerfileBaseImage: \"tar://"
                + baseWithJava
                + "\", javaHome: "
                + javaHome
                + "}}\n",
            "simple-cli");
    Path tarball = temp.resolve("simple.tar");
    TestBase.packager(new CliImageLayout(), PackagingListener.NONE)
        .pack(
            Examples.artifact("simple"),
            plan,
            new Packager.TarballOutput(tarball, ImageFormat.Docker));

    ImageTarball base = ImageTarball.read(baseWithJava);
    ImageTarball image = ImageTarball.read(tarball);
    List<String> layers = new ArrayList<>(diffIds(base));
    assertEquals(layers, diffIds(image).subList(0, layers.size()), "the base's layers");
    assertEquals(layers.size() + 2, diffIds(image).size(), "plus runtime jars and model only");
    assertEquals(javaHome + "/bin/java", image.config().at("/config/Entrypoint/0").asText());
    Path rootfs = temp.resolve("rootfs-java");
    try {
      image.unpack(rootfs);
      assertFalse(Files.exists(rootfs.resolve("opt/odahu-pack/jre")), "no Java runtime layer");
      assertTrue(invoke(image, rootfs, "info").stdout().startsWith("Input schema:\n"));
    } finally {
      Trees.delete(rootfs);
    }
  }

  private static List<String> diffIds(ImageTarball image) {
    List<String> ids = new ArrayList<>();
    image.config().at("/rootfs/diff_ids").forEach(id -> ids.add(id.asText()));
    return ids;
  }
}
