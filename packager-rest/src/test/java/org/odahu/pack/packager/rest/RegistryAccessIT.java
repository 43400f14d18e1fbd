package org.odahu.pack.packager.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.global.JibSystemProperties;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.baseimages.testing.TestBase;
import org.odahu.pack.packager.PackagingException;
import org.odahu.pack.packager.PackagingPlan;
import org.odahu.pack.packager.RegistryCredentials;
import org.odahu.pack.packager.image.BaseImage;
import org.odahu.pack.packager.image.BaseResolver;
import org.odahu.pack.packager.image.ImageBuilder;
import org.odahu.pack.packager.image.ImageDestination;
import org.odahu.pack.packager.image.ImageTarball;
import org.odahu.pack.packager.image.PackagingListener;
import org.odahu.pack.packager.image.ResolvedBase;
import org.odahu.pack.packager.manifest.ResourceSet;
import org.odahu.pack.packager.run.Packager;
import org.odahu.pack.packager.run.PackagingPlans;
import org.odahu.pack.packager.testing.Leaks;
import org.odahu.pack.packager.testing.LocalRegistry;
import org.odahu.pack.packager.testing.RecordingListener;
import org.odahu.pack.packager.testing.TestLayouts;
import org.odahu.pack.packager.testing.TestPackagers;
import org.odahu.pack.packager.testing.Trees;

/**
 * Where images come from and go to, for real: the default base pushed to a password-protected
 * registry on 127.0.0.1 and built on with docker-pull credentials, base tarballs, and a plain-HTTP
 * registry on a non-loopback address that only the user's opt-in makes usable.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryAccessIT {
  private static final PackagingPlans PLANS = new PackagingPlans(TestLayouts.builtIn());

  private static final String USER = "odahu";
  private static final String PASSWORD = "pull-Passw0rd-right";

  @TempDir Path temp;
  private final List<Path> registryDirs = new ArrayList<>();
  private BaseImage defaultBase;
  private LocalRegistry baseRegistry;
  private String baseReference;

  @BeforeAll
  void pushTheDefaultBaseToAPasswordProtectedRegistry() throws Exception {
    defaultBase = TestBase.recipe(PackagingListener.NONE).ensure();
    baseRegistry = LocalRegistry.start(registryDir(), USER, PASSWORD);
    baseReference = baseRegistry.address() + "/base:1";
    new ImageBuilder(TestPackagers.cacheDirectory().resolve("jib"), PackagingListener.NONE, "test")
        .copy(
            defaultBase,
            new ImageDestination.Registry(
                baseReference, new RegistryCredentials(USER, PASSWORD), false));
  }

  @AfterAll
  void stopRegistries() {
    baseRegistry.close();
    registryDirs.forEach(Trees::delete);
  }

  private Path registryDir() throws IOException {
    Path dir = Files.createTempDirectory("odahu-registry-");
    registryDirs.add(dir);
    return dir;
  }

  /** A ModelPackaging of docker-rest with these arguments and targets (name to connection). */
  private PackagingPlan plan(String arguments, String connections, String targets)
      throws IOException {
    Path manifests =
        Files.writeString(
            Files.createTempFile(temp, "manifests-", ".yaml"),
            connections
                + "kind: ModelPackaging\nid: rest\nspec:\n  artifactName: model.zip\n"
                + "  integrationName: docker-rest\n  arguments: {imageName: \"{{ Name }}:{{ Version }}\", "
                + arguments
                + "}\n  targets: ["
                + targets
                + "]\n");
    return PLANS.local(ResourceSet.read(List.of(manifests), List.of()), "rest", Set.of(), false);
  }

  private static String connection(String id, String uri, String user, String password) {
    String secret = Base64.getEncoder().encodeToString(password.getBytes(StandardCharsets.UTF_8));
    return "kind: Connection\nid: %s\nspec: {type: docker, uri: \"%s\", username: %s, password: %s}\n---\n"
        .formatted(id, uri, user, secret);
  }

  private static List<String> diffIds(ImageTarball image) {
    List<String> ids = new ArrayList<>();
    image.config().at("/rootfs/diff_ids").forEach(id -> ids.add(id.asText()));
    return ids;
  }

  private void assertBuiltOnTheDefaultBase(Path tarball) {
    List<String> base = diffIds(ImageTarball.read(defaultBase.tarball()));
    List<String> built = diffIds(ImageTarball.read(tarball));
    assertEquals(base, built.subList(0, base.size()), "the base layers");
    assertTrue(built.size() > base.size());
  }

  @Test
  void aBaseFromAPasswordProtectedRegistryNeedsTheDockerPullPassword() throws Exception {
    String wrong = "wrong-Passw0rd-that-must-not-leak";
    RecordingListener recorder = new RecordingListener();
    PackagingPlan refused =
        plan(
            "dockerfileBaseImage: \"" + baseReference + "\"",
            connection("base-registry", baseRegistry.address(), USER, wrong),
            "{name: docker-pull, connectionName: base-registry}");
    Packager.TarballOutput output =
        new Packager.TarballOutput(temp.resolve("wine.tar"), ImageFormat.Docker);
    PackagingException error =
        assertThrows(
            PackagingException.class,
            () ->
                TestBase.packager(new RestImageLayout(), recorder)
                    .pack(artifact(), refused, output));
    assertEquals(
        "The registry refused access to "
            + baseRegistry.address()
            + "/base: check the username and password of the connection 'base-registry'",
        error.getMessage());
    Leaks.assertNotLeaked(wrong, error, recorder, baseRegistry.log());
    assertNull(
        System.getProperty(JibSystemProperties.SEND_CREDENTIALS_OVER_HTTP),
        "plain-HTTP credentials stay allowed only while a loopback build runs");

    PackagingPlan allowed =
        plan(
            "dockerfileBaseImage: \"" + baseReference + "\"",
            connection("base-registry", baseRegistry.address(), USER, PASSWORD),
            "{name: docker-pull, connectionName: base-registry}");
    TestBase.packager(new RestImageLayout(), PackagingListener.NONE)
        .pack(artifact(), allowed, output);
    assertBuiltOnTheDefaultBase(output.tarball());
    assertNull(System.getProperty(JibSystemProperties.SEND_CREDENTIALS_OVER_HTTP));
  }

  @Test
  void theDockerPullPasswordIsNotSentToAnotherRegistry() throws Exception {
    RecordingListener recorder = new RecordingListener();
    PackagingPlan elsewhere =
        plan(
            "dockerfileBaseImage: \"" + baseReference + "\"",
            connection("base-registry", "registry.example.com/odahu", USER, PASSWORD),
            "{name: docker-pull, connectionName: base-registry}");
    Packager.TarballOutput output =
        new Packager.TarballOutput(temp.resolve("elsewhere.tar"), ImageFormat.Docker);
    PackagingException error =
        assertThrows(
            PackagingException.class,
            () ->
                TestBase.packager(new RestImageLayout(), recorder)
                    .pack(artifact(), elsewhere, output));
    // Pulled without credentials: the registry needs credentials, which a docker-pull for it would
    // give.
    assertEquals(
        "The registry "
            + baseRegistry.address()
            + " needs credentials for "
            + baseRegistry.address()
            + "/base: give them with a docker-pull target whose connection's uri is "
            + baseRegistry.address()
            + ", or with docker login "
            + baseRegistry.address(),
        error.getMessage());
    assertTrue(
        recorder
            .lines()
            .contains(
                "The docker-pull connection is for the registry registry.example.com (its"
                    + " uri), so its credentials are not sent to the base image's registry: "
                    + baseReference
                    + " is pulled without them"),
        recorder.lines().toString());
    Leaks.assertNotLeaked(PASSWORD, error, recorder, baseRegistry.log());
  }

  /** The simple model with a conda file that declares nothing. */
  private Path withoutDependencies() throws IOException {
    Path copy = Files.createTempDirectory(temp, "simple-");
    Trees.delete(copy);
    Trees.copy(Examples.artifact("simple"), copy);
    Files.writeString(copy.resolve("odahuflow_model/conda.yaml"), "name: simple\n");
    return copy;
  }

  private static Path artifact() {
    return Examples.gzipTarball("wine");
  }

  @Test
  void aBaseFromATarballByPrefixOrByName() throws Exception {
    for (String base :
        List.of("tar://" + defaultBase.tarball(), defaultBase.tarball().toString())) {
      Packager.TarballOutput output =
          new Packager.TarballOutput(
              Files.createTempFile(temp, "wine-", ".tar"), ImageFormat.Docker);
      TestBase.packager(new RestImageLayout(), PackagingListener.NONE)
          .pack(
              Examples.artifact("simple"),
              plan("dockerfileBaseImage: \"" + base + "\"", "", ""),
              output);
      assertBuiltOnTheDefaultBase(output.tarball());
    }
  }

  /**
   * An IPv4 address of this machine that is not loopback. On a machine without one, the machine's
   * name: the packager decides by the reference (a name is remote), never by where it resolves.
   */
  private static String nonLoopbackHost() throws IOException {
    for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
      if (nic.isUp() && !nic.isLoopback()) {
        for (InetAddress address : nic.inetAddresses().toList()) {
          if (address instanceof Inet4Address
              && !address.isLoopbackAddress()
              && !address.isLinkLocalAddress()) {
            return address.getHostAddress();
          }
        }
      }
    }
    String name = InetAddress.getLocalHost().getHostName();
    assertNotEquals(
        "localhost", name, "no non-loopback IPv4 address and no machine name to reach a registry");
    return name;
  }

  @Test
  void aNonLoopbackPlainHttpRegistryNeedsTheOptInAndALoopbackBaseDoesNotGiveIt() throws Exception {
    // Compared with what was there before: a packaging killed with SIGKILL leaves its directory.
    List<String> before = TestPackagers.packagingWorkDirectories();
    try (LocalRegistry remote = LocalRegistry.startOn(nonLoopbackHost(), registryDir())) {
      String push = connection("remote", remote.address() + "/odahu", USER, "unused");
      PackagingPlan plan = plan("port: 5000", push, "{name: docker-push, connectionName: remote}");
      PackagingException refused =
          assertThrows(
              PackagingException.class,
              () ->
                  TestBase.packager(new RestImageLayout(), PackagingListener.NONE)
                      .pack(Examples.artifact("simple"), plan, null));
      assertInsecureRefusal(refused, remote);

      String fromLoopbackBase =
          "{name: docker-push, connectionName: remote}, {name: docker-pull, connectionName: base-registry}";
      String pull = connection("base-registry", baseRegistry.address(), USER, PASSWORD);
      // Built on the base as it is in its registry: nothing declared to read it for, no tarball.
      PackagingPlan onLoopbackBase =
          plan(
              "dockerfileBaseImage: \"" + baseReference + "\", verify: false",
              push + pull,
              fromLoopbackBase);
      RecordingListener recorder = new RecordingListener();
      refused =
          assertThrows(
              PackagingException.class,
              () ->
                  TestBase.packager(new RestImageLayout(), recorder)
                      .pack(withoutDependencies(), onLoopbackBase, null));
      assertInsecureRefusal(refused, remote);
      assertEquals(
          List.of(),
          recorder.lines().stream()
              .filter(line -> line.startsWith("Pulling ") || line.startsWith("Building "))
              .toList(),
          "refused once the base is resolved, before it is pulled and anything is built");
      // A build on its own: the base is pulled by the digest its tag named when the packaging
      // began, then the push is refused.
      ResolvedBase resolved =
          new BaseResolver(PackagingListener.NONE, "test")
              .resolve(
                  BaseImage.registry(baseReference, new RegistryCredentials(USER, PASSWORD)),
                  false);
      String pinnedBase =
          baseReference + "@" + baseRegistry.manifestDigest(baseReference, USER + ":" + PASSWORD);
      RecordingListener builds = new RecordingListener();
      assertInsecureRefusal(
          assertThrows(
              PackagingException.class,
              () ->
                  new ImageBuilder(TestPackagers.cacheDirectory().resolve("jib"), builds, "test")
                      .copy(
                          resolved.image(),
                          new ImageDestination.Registry(
                              remote.address() + "/odahu/copied:1", null, false))),
          remote);
      assertTrue(
          builds
              .lines()
              .contains(
                  "Pulling the base image "
                      + pinnedBase
                      + " on its own: plain HTTP is allowed for "
                      + pinnedBase
                      + " only"),
          builds.lines().toString());
      // Pulled first to read what it provides, then verified in a tarball: same refusal.
      PackagingPlan pulledAndVerified =
          plan("dockerfileBaseImage: \"" + baseReference + "\"", push + pull, fromLoopbackBase);
      assertInsecureRefusal(
          assertThrows(
              PackagingException.class,
              () ->
                  TestBase.packager(new RestImageLayout(), PackagingListener.NONE)
                      .pack(Examples.artifact("simple"), pulledAndVerified, null)),
          remote);
      assertEquals(List.of(), remote.uploadedBlobs(), "nothing went to the registry over HTTP");
      assertEquals(
          before,
          TestPackagers.packagingWorkDirectories(),
          "pulled bases and images built to be verified are deleted");

      var pushed =
          TestBase.packager(new RestImageLayout(), PackagingListener.NONE, true)
              .pack(Examples.artifact("simple"), plan, null)
              .image();
      assertEquals(remote.address() + "/odahu/simple:1.0", pushed.reference());
      assertEquals(
          pushed.digest(), remote.manifestDigest(pushed.reference()), "what the registry holds");
    }
  }

  @Test
  void anUnreachableRemoteRegistryFailsAtOnce() throws Exception {
    String host = nonLoopbackHost();
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      port = free.getLocalPort();
    }
    PackagingPlan plan =
        plan(
            "port: 5000",
            connection("remote", host + ":" + port + "/odahu", USER, "unused"),
            "{name: docker-push, connectionName: remote}");
    PackagingException error = RestPackagingIT.failsFast(plan);
    assertTrue(
        error.getMessage().startsWith("Cannot reach the registry " + host + ":" + port + ": "),
        error.getMessage());
  }

  private static void assertInsecureRefusal(PackagingException refused, LocalRegistry remote) {
    assertTrue(
        refused.getMessage().contains("with --allow-insecure-registries"), refused.getMessage());
    assertTrue(
        refused.getMessage().contains("https://" + remote.address() + "/"), refused.getMessage());
  }
}
