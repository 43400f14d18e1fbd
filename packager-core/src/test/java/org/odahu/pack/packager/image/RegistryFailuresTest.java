package org.odahu.pack.packager.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.packager.PackagingException;
import org.odahu.pack.packager.RegistryCredentials;
import org.odahu.pack.packager.testing.FakeRegistry;
import org.odahu.pack.packager.testing.FakeRegistry.Answer;
import org.odahu.pack.packager.testing.Leaks;
import org.odahu.pack.packager.testing.RecordingListener;
import org.odahu.pack.packager.testing.TinyBase;

/**
 * What a user is told when a registry fails: which registry, what it said, what to do; never a Java
 * class name, never a password. The registries are small fakes on 127.0.0.1.
 */
class RegistryFailuresTest {
  private static final String JSON = "application/json";

  @TempDir Path temp;

  private final RecordingListener listener = new RecordingListener();

  private PackagingException resolving(String reference, RegistryCredentials credentials) {
    return assertThrows(
        PackagingException.class,
        () ->
            new BaseResolver(listener, "test")
                .resolve(BaseImage.registry(reference, credentials), false));
  }

  private PackagingException pushing(String reference, RegistryCredentials credentials)
      throws IOException {
    Path base = TinyBase.write(temp.resolve("tiny.tar"), "tiny:1");
    return assertThrows(
        PackagingException.class,
        () ->
            new ImageBuilder(temp.resolve("cache"), listener, "test")
                .copy(
                    BaseImage.tarball(base),
                    new ImageDestination.Registry(reference, credentials, false)));
  }

  private static void assertPlain(PackagingException error) {
    for (String javaish : new String[] {"Exception", "com.google", "java."}) {
      assertFalse(error.getMessage().contains(javaish), error.getMessage());
    }
  }

  @Test
  void aMissingBaseIsNotFoundInItsRegistry() throws IOException {
    String body =
        "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\","
            + "\"detail\":{\"Tag\":\"1\"}}]}";
    try (FakeRegistry registry =
        FakeRegistry.answering(new Answer(404, Map.of("Content-Type", JSON), body))) {
      PackagingException error = resolving(registry.address() + "/base/python:1", null);
      assertEquals(
          "Base image "
              + registry.address()
              + "/base/python:1 not found in registry "
              + registry.address(),
          error.getMessage());
    }
  }

  @Test
  void aManifestThatIsNotJsonNamesTheRegistryNotTheParser() throws IOException {
    try (FakeRegistry registry =
        FakeRegistry.answering(
            new Answer(
                200,
                Map.of("Content-Type", "application/vnd.docker.distribution.manifest.v2+json"),
                "this is not json"))) {
      PackagingException error = resolving(registry.address() + "/base/python:1", null);
      assertTrue(
          error
              .getMessage()
              .startsWith(
                  "The registry "
                      + registry.address()
                      + " answered with something that is not an image manifest or"
                      + " configuration (Unrecognized token 'this'"),
          error.getMessage());
      assertFalse(error.getMessage().contains("[Source"), error.getMessage());
    }
  }

  @Test
  void aServerErrorGivesTheStatusTheRegistryAndItsOwnText() throws IOException {
    String body = "{\"errors\":[{\"code\":\"UNKNOWN\",\"message\":\"storage backend down\"}]}";
    try (FakeRegistry registry =
        FakeRegistry.answering(new Answer(500, Map.of("Content-Type", JSON), body))) {
      PackagingException error = resolving(registry.address() + "/base/python:1", null);
      assertEquals(
          "The registry "
              + registry.address()
              + " answered 500 Internal Server Error: storage backend down",
          error.getMessage());
    }
    try (FakeRegistry registry =
        FakeRegistry.answering(
            new Answer(503, Map.of("Content-Type", "text/plain"), "upstream overloaded\n"))) {
      PackagingException error = pushing(registry.address() + "/odahu/model:1", null);
      // The push starts with HEAD requests, whose answers carry no text.
      assertEquals(
          "The registry " + registry.address() + " answered 503 Service Unavailable",
          error.getMessage());
      error = resolving(registry.address() + "/base/python:1", null);
      assertEquals(
          "The registry "
              + registry.address()
              + " answered 503 Service Unavailable: upstream overloaded",
          error.getMessage());
    }
  }

  @Test
  void refusedWithoutCredentialsSaysWhichConnectionGivesThem() throws IOException {
    Answer basic =
        new Answer(
            401,
            Map.of("WWW-Authenticate", "Basic realm=\"test\"", "Content-Type", JSON),
            "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}");
    try (FakeRegistry registry = FakeRegistry.answering(basic)) {
      PackagingException pull = resolving(registry.address() + "/base/python:1", null);
      assertEquals(
          "The registry "
              + registry.address()
              + " needs credentials for "
              + registry.address()
              + "/base/python: give them with a docker-pull target whose connection's uri is "
              + registry.address()
              + ", or with docker login "
              + registry.address(),
          pull.getMessage());
      PackagingException push = pushing(registry.address() + "/odahu/model:1", null);
      assertEquals(
          "The registry "
              + registry.address()
              + " needs credentials for "
              + registry.address()
              + "/odahu/model: give them with a docker-push target whose connection's uri is "
              + registry.address()
              + ", or with docker login "
              + registry.address(),
          push.getMessage());
    }
    // A proxy's own page, not the registry's: the same advice, with what was answered.
    try (FakeRegistry proxy =
        FakeRegistry.answering(
            new Answer(403, Map.of("Content-Type", "text/html"), "<html>Forbidden</html>"))) {
      PackagingException pull = resolving(proxy.address() + "/base/python:1", null);
      assertTrue(
          pull.getMessage()
              .startsWith(
                  "The registry " + proxy.address() + " needs credentials for " + proxy.address()),
          pull.getMessage());
    }
  }

  @Test
  void refusedWithCredentialsStillBlamesThemAndNeverShowsThePassword() throws IOException {
    String password = "Secret-Passw0rd-never-shown";
    try (FakeRegistry registry =
        FakeRegistry.answering(
            new Answer(
                403, Map.of("Content-Type", JSON), "{\"errors\":[{\"code\":\"DENIED\"}]}"))) {
      PackagingException error =
          resolving(
              registry.address() + "/base/python:1", new RegistryCredentials("odahu", password));
      assertEquals(
          "The registry refused access to "
              + registry.address()
              + "/base/python: check the connection's username and password",
          error.getMessage());
      Leaks.assertNotLeaked(password, error, listener);
    }
  }

  @Test
  void aPushTargetThatRefusesTheLoginIsReportedBeforeTheBuild() throws IOException {
    String password = "Secret-Passw0rd-never-shown";
    try (FakeRegistry registry =
        FakeRegistry.answering(
            new Answer(
                401,
                Map.of("Content-Type", JSON, "WWW-Authenticate", "Basic realm=\"fake\""),
                "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}"))) {
      ImageDestination.Registry target =
          new ImageDestination.Registry(
              registry.address() + "/odahu/model:1",
              new RegistryCredentials("odahu", password),
              false);
      PackagingException error =
          assertThrows(
              PackagingException.class,
              () ->
                  new ImageBuilder(temp.resolve("cache"), listener, "test")
                      .checkPushTarget(target));
      assertEquals(
          "The registry refused access to "
              + registry.address()
              + "/odahu/model: check the connection's username and password",
          error.getMessage());
      Leaks.assertNotLeaked(password, error, listener);
      assertTrue(
          registry.requests().stream().noneMatch(request -> request.contains("/blobs/")),
          registry.requests().toString());
    }
  }

  @Test
  void anEcrTokenRefusedPointsAtTheKeysPermissions() throws IOException {
    try (FakeRegistry registry =
        FakeRegistry.answering(
            new Answer(
                403, Map.of("Content-Type", JSON), "{\"errors\":[{\"code\":\"DENIED\"}]}"))) {
      PackagingException error =
          resolving(
              registry.address() + "/base/python:1",
              new RegistryCredentials("AWS", "token", EcrLogin.SOURCE));
      assertEquals(
          "The registry refused access to "
              + registry.address()
              + "/base/python: check what the ecr connection's keys may do in that repository"
              + " (pushing needs ecr:PutImage and the layer upload actions, pulling"
              + " ecr:BatchGetImage and ecr:GetDownloadUrlForLayer)",
          error.getMessage());
    }
  }

  @Test
  void aRefusedConnectionSaysSo() throws IOException {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    PackagingException error = resolving("127.0.0.1:" + port + "/base/python:1", null);
    assertEquals(
        "Cannot reach the registry 127.0.0.1:"
            + port
            + ": connection refused (is a registry listening on port "
            + port
            + "?)",
        error.getMessage());
  }

  /** Through a proxy, the refused connection is the proxy's: a registry refuses through a 502. */
  @Test
  void aRefusalThroughAProxyNamesTheProxy() {
    String throughProxy =
        "registry.example.com:5000" + BuildFailures.THROUGH_PROXY + "10.0.0.1:3128";
    assertEquals(
        "connection refused (is the proxy listening on port 3128?)",
        BuildFailures.connectionReason(
            new java.net.ConnectException("Connection refused"), throughProxy, null));
    assertEquals(
        "unknown host proxy.invalid",
        BuildFailures.connectionReason(
            new java.net.UnknownHostException("proxy.invalid"),
            "registry.example.com" + BuildFailures.THROUGH_PROXY + "proxy.invalid:3128",
            null));
  }

  @Test
  void aHostThatDoesNotResolveIsNamedAsSuchNotAsARefusal() {
    PackagingException error = resolving("no-such-host.invalid:5000/base/python:1", null);
    assertEquals(
        "Cannot reach the registry no-such-host.invalid:5000: unknown host no-such-host.invalid",
        error.getMessage());
  }

  @Test
  void aFullDiskNamesTheCacheDirectory() {
    Path cache = temp.resolve("cache");
    ImagePlan plan =
        new ImagePlan(
            BaseImage.tarball(temp.resolve("base.tar")),
            java.util.List.of(),
            Map.of(),
            java.util.List.of(),
            null,
            Map.of(),
            "/");
    PackagingException error =
        BuildFailures.explain(
            new ExecutionException(new IOException("No space left on device")),
            plan,
            new ImageDestination.Tarball("x:1", temp.resolve("out/x.tar"), null),
            cache);
    assertEquals(
        "No space left on device while building the image: free space on the file system of "
            + cache
            + " (the layer cache) or of "
            + temp.resolve("out")
            + " (where the image is written)",
        error.getMessage());
    assertPlain(error);
  }

  @Test
  void aRegistryThatAnswersV2ThenHangsIsReportedInBoundedTime() throws IOException {
    System.setProperty(RegistryTimeouts.PROPERTY, "2");
    try (FakeRegistry registry = FakeRegistry.answering(Answer.HANG)) {
      long start = System.nanoTime();
      PackagingException error = resolving(registry.address() + "/base/python:1", null);
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertEquals(
          "The registry " + registry.address() + " did not answer within 2 s", error.getMessage());
      assertTrue(took.toSeconds() < 10, "took " + took);
      assertEquals(
          "Resolving the base image's digest from " + registry.address(),
          listener.lines().get(0),
          listener.lines().toString());

      start = System.nanoTime();
      PackagingException push = pushing(registry.address() + "/odahu/model:1", null);
      took = Duration.ofNanos(System.nanoTime() - start);
      assertEquals(
          "The registry " + registry.address() + " did not answer within 2 s", push.getMessage());
      assertTrue(took.toSeconds() < 10, "took " + took);

      start = System.nanoTime();
      ImageDestination.Registry target =
          new ImageDestination.Registry(registry.address() + "/odahu/model:1", null, false);
      PackagingException check =
          assertThrows(
              PackagingException.class,
              () ->
                  new ImageBuilder(temp.resolve("cache"), listener, "test")
                      .checkPushTarget(target));
      took = Duration.ofNanos(System.nanoTime() - start);
      assertEquals(
          "The registry " + registry.address() + " did not answer within 2 s", check.getMessage());
      assertTrue(took.toSeconds() < 10, "took " + took);
    } finally {
      System.clearProperty(RegistryTimeouts.PROPERTY);
    }
  }
}
