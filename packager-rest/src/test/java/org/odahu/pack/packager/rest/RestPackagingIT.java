package org.odahu.pack.packager.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.baseimages.testing.TestBase;
import org.odahu.pack.packager.PackagingException;
import org.odahu.pack.packager.PackagingPlan;
import org.odahu.pack.packager.image.ImageTarball;
import org.odahu.pack.packager.image.PackagingListener;
import org.odahu.pack.packager.image.Sandbox;
import org.odahu.pack.packager.manifest.ResourceSet;
import org.odahu.pack.packager.run.Packager;
import org.odahu.pack.packager.run.PackagingPlans;
import org.odahu.pack.packager.run.PackagingResult;
import org.odahu.pack.packager.testing.ImageTarballs;
import org.odahu.pack.packager.testing.Leaks;
import org.odahu.pack.packager.testing.LocalRegistry;
import org.odahu.pack.packager.testing.LocalServers;
import org.odahu.pack.packager.testing.RecordingListener;
import org.odahu.pack.packager.testing.TestLayouts;
import org.odahu.pack.packager.testing.Trees;

/**
 * docker-rest images for real: built with Jib, pushed to Debian's docker-registry, pulled back with
 * skopeo, unpacked and run with bwrap, and asked for the wine prediction over HTTP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestPackagingIT {
  private static final PackagingPlans PLANS = new PackagingPlans(TestLayouts.builtIn());

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path temp;
  private LocalRegistry registry;
  private Path registryDir;

  @BeforeAll
  void startRegistry() throws Exception {
    registryDir = Files.createTempDirectory("odahu-registry-");
    registry = LocalRegistry.start(registryDir);
  }

  @AfterAll
  void stopRegistry() {
    registry.close();
    Trees.delete(registryDir);
  }

  static Packager packager(PackagingListener listener) {
    return TestBase.packager(new RestImageLayout(), listener);
  }

  private Path manifests(String registryUri, String user, String password) throws IOException {
    String connection =
        "kind: Connection\nid: registry\nspec:\n  type: docker\n  uri: "
            + registryUri
            + "\n"
            + (user == null
                ? ""
                : "  username: "
                    + user
                    + "\n  password: "
                    + Base64.getEncoder().encodeToString(password.getBytes(StandardCharsets.UTF_8))
                    + "\n");
    String packaging =
        "kind: ModelPackaging\nid: wine-rest\nspec:\n  artifactName: wine.zip\n  integrationName: docker-rest\n"
            + "  arguments:\n    imageName: \"{{ Name }}:{{ Version }}\"\n    port: 5000\n"
            + "  targets:\n    - name: docker-push\n      connectionName: registry\n";
    return Files.writeString(temp.resolve("manifests.yaml"), connection + "---\n" + packaging);
  }

  private PackagingPlan plan(Path manifests) {
    return PLANS.local(
        ResourceSet.read(List.of(manifests), List.of()), "wine-rest", Set.of(), false);
  }

  @Test
  void pushedImagePulledBackRunsAsARestrictedPodAndAnswersTheGoldenValue() throws Exception {
    PackagingPlan plan = plan(manifests(registry.address() + "/odahu", null, null));
    PackagingResult result =
        packager(PackagingListener.NONE).pack(Examples.gzipTarball("wine"), plan, null);
    assertEquals(registry.address() + "/odahu/wine:1.0", result.image().reference());
    assertTrue(result.image().pushed());
    JsonNode manifest = registry.manifest(result.image().reference());
    assertEquals("application/vnd.oci.image.manifest.v1+json", manifest.path("mediaType").asText());
    assertEquals("wine", manifest.at("/annotations/org.opencontainers.image.title").asText());
    assertEquals(result.image().digest(), registry.manifestDigest(result.image().reference()));

    Path pulled = registry.pull(result.image().reference(), temp.resolve("pulled.tar"), null);
    ImageTarball image = ImageTarball.read(pulled);
    assertEquals("wine", image.config().at("/config/Labels/org.odahu.pack.model.name").asText());
    assertEquals("10001:10001", image.config().at("/config/User").asText());
    assertEquals("SIGTERM", image.config().at("/config/StopSignal").asText());
    assertTrue(image.config().at("/config/ExposedPorts").has("5000/tcp"));
    // Run by root, the sandbox drops to uid 10001 on the host too: it must reach the rootfs.
    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path rootfs = temp.resolve("rootfs");
    image.unpack(rootfs);
    assertFalse(Files.exists(rootfs.resolve("app/mp.json")));
    assertTrue(Files.isExecutable(rootfs.resolve("opt/odahu-pack/jre/bin/java")));
    // Jib's files are root's: the model, the jars and the Java runtime must be anyone's to read.
    assertReadableByOthers(rootfs.resolve("app"));
    assertReadableByOthers(rootfs.resolve("opt/odahu-pack"));
    try {
      // As odahu-pack's manifests run it: uid 10001, read-only root, only /tmp writable.
      Sandbox.Pod pod = Sandbox.Pod.restricted(image.config());
      // With -Xshare:on the JVM refuses to start unless it maps the image's class-data archive.
      answersTheGoldenValue(
          rootfs,
          image,
          pod,
          List.of("JDK_JAVA_OPTIONS=" + environment(image, "JDK_JAVA_OPTIONS") + " -Xshare:on"));
      // TMPDIR moves every temporary file: with /tmp read-only it still serves.
      answersTheGoldenValue(
          rootfs,
          image,
          pod.withEmptyDirs("/scratch"),
          List.of("TMPDIR=/scratch", "HOME=/scratch"));
    } finally {
      Trees.delete(rootfs);
    }
  }

  /** The value of {@code name} in the image's environment. */
  private static String environment(ImageTarball image, String name) {
    for (JsonNode variable : image.config().at("/config/Env")) {
      if (variable.asText().startsWith(name + "=")) {
        return variable.asText().substring(name.length() + 1);
      }
    }
    throw new AssertionError(name + " is not in the image's environment");
  }

  /** Every file below {@code root} readable, every directory searchable, by any user. */
  private static void assertReadableByOthers(Path root) throws IOException {
    try (var paths = Files.walk(root)) {
      for (Path path : paths.toList()) {
        var permissions = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
        assertTrue(permissions.contains(PosixFilePermission.OTHERS_READ), path::toString);
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
          assertTrue(permissions.contains(PosixFilePermission.OTHERS_EXECUTE), path::toString);
        }
      }
    }
  }

  /** Starts the image's server in the sandbox as {@code pod} and asks for the wine prediction. */
  private void answersTheGoldenValue(
      Path rootfs, ImageTarball image, Sandbox.Pod pod, List<String> env) throws Exception {
    int port = LocalServers.freePort();
    List<String> environment = new ArrayList<>(env);
    environment.addAll(List.of("ODAHU_HOST=127.0.0.1", "ODAHU_PORT=" + port));
    Process server =
        Sandbox.asPod(
                rootfs,
                image.config(),
                Sandbox.entrypoint(image.config(), List.of()),
                environment,
                pod)
            .redirectErrorStream(true)
            .redirectOutput(temp.resolve("server.log").toFile())
            .start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      LocalServers.awaitReady(
          http, port, server, Duration.ofSeconds(60), temp.resolve("server.log"));
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/model/invoke"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofFile(Examples.data("wine-request.json")))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode(), response.body());
      JsonNode body = JSON.readTree(response.body());
      assertEquals(Examples.WINE_GOLDEN, body.at("/prediction/0").asDouble(), 1e-9);
      assertEquals("wine", response.headers().firstValue("Model-Name").orElseThrow());
      assertEquals("1.0", response.headers().firstValue("Model-Version").orElseThrow());
    } finally {
      server.destroy();
      server.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void reproducibleAndAModelChangeTouchesOnlyTheModelLayer() throws Exception {
    Path manifests = manifests(registry.address() + "/repro", null, null);
    PackagingPlan tarballPlan =
        PLANS.local(ResourceSet.read(List.of(manifests), List.of()), "wine-rest", Set.of(), true);
    Packager packager = packager(PackagingListener.NONE);
    Packager.TarballOutput first =
        new Packager.TarballOutput(temp.resolve("first.tar"), ImageFormat.Docker);
    Packager.TarballOutput second =
        new Packager.TarballOutput(temp.resolve("second.tar"), ImageFormat.Docker);
    String digest = packager.pack(Examples.artifact("wine"), tarballPlan, first).image().digest();
    assertEquals(
        digest, packager.pack(Examples.gzipTarball("wine"), tarballPlan, second).image().digest());

    Path changed = temp.resolve("wine-changed");
    Trees.copy(Examples.artifact("wine"), changed);
    Files.writeString(
        changed.resolve("odahuflow_model/entrypoint.py"),
        "\n# retrained\n",
        java.nio.file.StandardOpenOption.APPEND);
    Packager.TarballOutput third =
        new Packager.TarballOutput(temp.resolve("third.tar"), ImageFormat.Docker);
    assertNotEquals(digest, packager.pack(changed, tarballPlan, third).image().digest());
    Set<String> entries = ImageTarballs.entryNames(first.tarball());
    assertTrue(entries.contains("manifest.json"), "a docker load tarball: " + entries);
    assertFalse(
        entries.contains("oci-layout") || entries.contains("index.json"), entries::toString);
    List<String> before = ImageTarball.read(first.tarball()).layers();
    List<String> after = ImageTarball.read(third.tarball()).layers();
    assertEquals(before.size(), after.size());
    assertEquals(
        before.subList(0, before.size() - 1),
        after.subList(0, after.size() - 1),
        "base, JRE and jars");
    assertNotEquals(before.get(before.size() - 1), after.get(after.size() - 1), "the model layer");

    // Pushed: a model-only change uploads the model layer and the config, nothing else; the
    // config twice: Jib's, and the finished one with the stop signal.
    PackagingPlan pushPlan = plan(manifests);
    packager.pack(Examples.artifact("wine"), pushPlan, null);
    int uploads = registry.uploadedBlobs().size();
    String reference = packager.pack(changed, pushPlan, null).image().reference();
    JsonNode manifest = registry.manifest(reference);
    JsonNode layers = manifest.path("layers");
    List<String> uploaded =
        registry.uploadedBlobs().subList(uploads, registry.uploadedBlobs().size());
    assertTrue(uploaded.contains(manifest.at("/config/digest").asText()), uploaded::toString);
    assertTrue(
        uploaded.contains(layers.get(layers.size() - 1).path("digest").asText()),
        uploaded::toString);
    assertEquals(3, uploaded.size(), "model layer, Jib's config, finished config: " + uploaded);
    assertEquals(3, Set.copyOf(uploaded).size(), "each uploaded once");
  }

  @Test
  void wrongCredentialsGiveAClearErrorAndThePasswordAppearsNowhere() throws Exception {
    Path authDir = Files.createTempDirectory("odahu-auth-registry-");
    String secret = "s3cret-Passw0rd-that-must-not-leak";
    try (LocalRegistry secured = LocalRegistry.start(authDir, "odahu", "right-password")) {
      RecordingListener recorder = new RecordingListener();
      PackagingPlan plan = plan(manifests(secured.address() + "/odahu", "odahu", secret));
      assertFalse(plan.toString().contains(secret), plan.toString());
      PackagingException error =
          assertThrows(
              PackagingException.class,
              () -> packager(recorder).pack(Examples.artifact("simple"), plan, null));
      assertEquals(
          "The registry refused access to "
              + secured.address()
              + "/odahu/simple: check the username and password of the connection 'registry'",
          error.getMessage());
      // Refused before anything was built or checked, not when the verified image is pushed.
      assertEquals(
          List.of(),
          recorder.lines().stream()
              .filter(line -> line.startsWith("Building " + secured.address()))
              .toList());
      Leaks.assertNotLeaked(secret, error, recorder, secured.log());

      PackagingPlan right =
          plan(manifests(secured.address() + "/odahu", "odahu", "right-password"));
      assertTrue(
          packager(PackagingListener.NONE)
              .pack(Examples.artifact("simple"), right, null)
              .image()
              .pushed());
    } finally {
      Trees.delete(authDir);
    }
  }

  @Test
  void unreachableRegistryFailsQuicklyAndClearly() throws Exception {
    PackagingPlan plan =
        plan(manifests("127.0.0.1:" + LocalServers.freePort() + "/odahu", null, null));
    PackagingException error = failsFast(plan);
    assertTrue(
        error.getMessage().startsWith("Cannot reach the registry 127.0.0.1:"), error.getMessage());
  }

  /**
   * Packs {@code simple} with {@code plan} twice, each failing, and the second within 10 s, not the
   * minute of Jib's retries; the first is not timed, as on a fresh machine it also builds the
   * caches (the runtime, the base image's layers: 12 s on their own once). Returns the second
   * failure.
   */
  static PackagingException failsFast(PackagingPlan plan) {
    assertThrows(
        PackagingException.class,
        () -> packager(PackagingListener.NONE).pack(Examples.artifact("simple"), plan, null));
    long start = System.nanoTime();
    PackagingException error =
        assertThrows(
            PackagingException.class,
            () -> packager(PackagingListener.NONE).pack(Examples.artifact("simple"), plan, null));
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
    assertTrue(seconds < 10, "took " + seconds + " s, not the minute of Jib's retries");
    return error;
  }

  @Test
  void packagingRefusesAnArtifactOdahusPackagersRefuse() throws Exception {
    Path artifact = temp.resolve("no-conda");
    Trees.copy(Examples.artifact("simple"), artifact);
    Files.writeString(
        artifact.resolve("odahuflow.project.yaml"),
        "binaries: {type: python, dependencies: conda}\nmodel: {name: s, version: '1', workDir: odahuflow_model, entrypoint: entrypoint}\n");
    PackagingPlan plan = plan(manifests(registry.address() + "/odahu", null, null));
    PackagingException error =
        assertThrows(
            PackagingException.class,
            () -> packager(PackagingListener.NONE).pack(artifact, plan, null));
    assertEquals("odahuflowVersion is not set; Conda path is not set", error.getMessage());
  }
}
