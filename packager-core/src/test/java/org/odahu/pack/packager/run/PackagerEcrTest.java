package org.odahu.pack.packager.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.files.ExitCleanup;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.packager.PackagingException;
import org.odahu.pack.packager.PackagingPlan;
import org.odahu.pack.packager.manifest.ResourceSet;
import org.odahu.pack.packager.testing.EcrApi;
import org.odahu.pack.packager.testing.RecordingListener;
import org.odahu.pack.packager.testing.TestLayouts;

/**
 * A packaging pushing through an ODAHU {@code ecr} connection asks ECR's API (a stand-in on
 * loopback, reached through the SDK's own endpoint setting) before anything slow starts: the
 * image's repository and a login token, or an error at once for refused keys.
 */
class PackagerEcrTest {
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG";

  @TempDir Path temp;
  private EcrApi ecr;

  /** Stops a packaging where it would resolve its base image. */
  private static final class BaseReached extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  @BeforeEach
  void startEcr() {
    ecr = EcrApi.start();
    System.setProperty("aws.endpointUrlEcr", ecr.endpoint().toString());
  }

  @AfterEach
  void stopEcr() {
    System.clearProperty("aws.endpointUrlEcr");
    ecr.close();
  }

  private RuntimeException pack(RecordingListener listener) throws IOException {
    return pack(listener, "{imageName: '{{ Name }}:{{ Version }}'}", "docker-push");
  }

  private RuntimeException pack(RecordingListener listener, String arguments, String target)
      throws IOException {
    String manifests =
        "kind: Connection\nid: aws\nspec: {type: ecr, uri: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/odahu,"
            + " keyID: "
            + base64("AKIAIOSFODNN7EXAMPLE")
            + ", keySecret: "
            + base64(SECRET)
            + "}\n---\nkind: ModelPackaging\nid: p\nspec: {artifactName: simple, integrationName: docker-rest,"
            + " arguments: "
            + arguments
            + ", targets: [{name: "
            + target
            + ", connectionName: aws}]}\n";
    Path manifest = Files.writeString(temp.resolve("p.yaml"), manifests);
    PackagingPlan plan =
        new PackagingPlans(TestLayouts.builtIn())
            .local(ResourceSet.read(List.of(manifest), List.of()), "p", Set.of(), false);
    PackagerSettings settings =
        new PackagerSettings(
            temp.resolve("cache"),
            List.of(temp.resolve("server.jar")),
            "0.1.0-test",
            false,
            () -> {
              throw new BaseReached();
            });
    Packager packager =
        new Packager(settings, TestLayouts.builtIn(), ExitCleanup.manual(), listener);
    Packager.TarballOutput output =
        plan.push() == null ? new Packager.TarballOutput(temp.resolve("out.tar"), null) : null;
    return assertThrows(
        RuntimeException.class,
        () -> packager.pack(Examples.artifact("simple"), plan, output, temp));
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theRepositoryIsCreatedAndATokenAskedForBeforeTheBaseImage() throws IOException {
    RecordingListener listener = new RecordingListener();
    assertTrue(pack(listener) instanceof BaseReached);
    assertEquals(List.of("CreateRepository", "GetAuthorizationToken"), ecr.actions());
    assertEquals("odahu/simple", ecr.calls().get(0).body().path("repositoryName").asText());
    assertTrue(
        listener
            .lines()
            .contains(
                "Asking ECR for a login token to push"
                    + " 123456789012.dkr.ecr.eu-west-1.amazonaws.com/odahu/simple:1.0 (its"
                    + " repository created if missing)"),
        listener.lines().toString());
  }

  @Test
  void aDockerPullEcrConnectionAsksForATokenForTheBaseImageAndCreatesNothing() throws IOException {
    ecr.refuseKeys(SECRET);
    RuntimeException failure =
        pack(
            new RecordingListener(),
            "{dockerfileBaseImage: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/odahu/python:3'}",
            "docker-pull");
    assertTrue(failure instanceof PackagingException, failure.toString());
    assertTrue(
        failure.getMessage().startsWith("ECR's API in eu-west-1 refused the keys of connection"),
        failure.getMessage());
    assertEquals(List.of("GetAuthorizationToken"), ecr.actions());
  }

  @Test
  void refusedKeysFailThePackagingAtOnceWithoutShowingThem() throws IOException {
    ecr.refuseKeys(SECRET);
    RuntimeException failure = pack(new RecordingListener());
    assertTrue(failure instanceof PackagingException, failure.toString());
    String message = failure.getMessage();
    assertTrue(
        message.startsWith("ECR's API in eu-west-1 refused the keys of connection 'aws'"), message);
    assertFalse(message.contains(SECRET), message);
    assertFalse(Files.exists(temp.resolve("result.json")));
  }
}
