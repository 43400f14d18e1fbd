package org.odahu.pack.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.baseimages.DebianPythonBase;
import org.odahu.pack.packager.image.PackagingListener;
import org.odahu.pack.packager.testing.EcrApi;
import org.odahu.pack.packager.testing.LocalRegistry;
import org.odahu.pack.packager.testing.TestPackagers;
import org.odahu.pack.packager.testing.TinyBase;
import org.odahu.pack.packager.testing.TokenServer;

/**
 * {@code base-image build --push} logs in to a registry that needs it (docker-registry with
 * htpasswd on loopback), with a docker Connection from a manifest file as {@code pack run} takes
 * it, or with {@code --username} and {@code --password-stdin}; the password never appears in
 * output. The distribution's launcher runs with a cache that already holds the base tarball (a tiny
 * one in the recipe's place), so nothing needs debootstrap or root. Without either, what {@code
 * docker login} stored is used, for pushing and for pulling a base. A forced rebuild that fails
 * keeps the cached base.
 */
class BaseImagePushIT {
  private static final String USER = "pusher";
  private static final String PASSWORD = "s3cret-Pa55word";

  @TempDir Path temp;

  private Launcher.Result baseImage(Path cache, String stdin, List<String> arguments)
      throws IOException, InterruptedException {
    return baseImage(cache, stdin, arguments, Map.of());
  }

  private Launcher.Result baseImage(
      Path cache, String stdin, List<String> arguments, Map<String, String> environment)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("base-image", "build"));
    command.addAll(arguments);
    ProcessBuilder builder = Launcher.builder("odahu-pack", command);
    builder.environment().put("ODAHU_PACK_CACHE", cache.toString());
    builder.environment().putAll(environment);
    Process process = builder.start();
    try (OutputStream in = process.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(3, TimeUnit.MINUTES), output);
    return new Launcher.Result(process.exitValue(), output);
  }

  @Test
  void pushesToARegistryThatNeedsALogin() throws Exception {
    Path cache = Files.createDirectories(temp.resolve("cache/base-images"));
    TinyBase.write(cache.resolve("debian-python-" + DebianPythonBase.key() + ".tar"), null);
    try (LocalRegistry registry =
        LocalRegistry.start(Files.createDirectories(temp.resolve("registry")), USER, PASSWORD)) {
      String byStdin = registry.address() + "/odahu/python-base:stdin";
      Launcher.Result stdin =
          baseImage(
              temp.resolve("cache"),
              PASSWORD + "\n",
              List.of("--push", byStdin, "--username", USER, "--password-stdin"));
      assertEquals(0, stdin.status(), stdin.output());
      assertTrue(stdin.output().contains("Pushed: " + byStdin + "@sha256:"), stdin.output());
      assertFalse(stdin.output().contains(PASSWORD), stdin.output());
      assertTrue(
          registry.manifestDigest(byStdin, USER + ":" + PASSWORD).startsWith("sha256:"),
          "the registry holds the image");

      Path manifest =
          Files.writeString(
              temp.resolve("connection.yaml"),
              "kind: Connection\nid: other\nspec: {type: docker, uri: elsewhere.example.com}\n---\n"
                  + "kind: Connection\nid: base-registry\nspec:\n  type: docker\n  uri: "
                  + registry.address()
                  + "/odahu\n  username: "
                  + USER
                  + "\n  password: "
                  + Base64.getEncoder().encodeToString(PASSWORD.getBytes(StandardCharsets.UTF_8))
                  + "\n");
      String byConnection = registry.address() + "/odahu/python-base:connection";
      Launcher.Result connection =
          baseImage(
              temp.resolve("cache"),
              "",
              List.of(
                  "--push",
                  byConnection,
                  "-f",
                  manifest.toString(),
                  "--connection",
                  "base-registry"));
      assertEquals(0, connection.status(), connection.output());
      assertTrue(
          connection.output().contains("Pushed: " + byConnection + "@sha256:"),
          connection.output());
      assertFalse(connection.output().contains(PASSWORD), connection.output());
      assertTrue(
          registry.manifestDigest(byConnection, USER + ":" + PASSWORD).startsWith("sha256:"));

      // A Connection for another registry is refused before anything is built or sent.
      Launcher.Result elsewhere =
          baseImage(
              temp.resolve("cache"),
              "",
              List.of(
                  "--push",
                  registry.address() + "/odahu/python-base:other",
                  "-f",
                  manifest.toString(),
                  "--connection",
                  "other"));
      assertEquals(1, elsewhere.status(), elsewhere.output());
      assertTrue(
          elsewhere
              .output()
              .contains(
                  "Connection 'other' is for the registry elsewhere.example.com (its uri), not for "),
          elsewhere.output());

      // Two Connections and none named: a plain sentence, exit 1; a password flag does not exist.
      Launcher.Result ambiguous =
          baseImage(
              temp.resolve("cache"),
              "",
              List.of("--push", byConnection, "-f", manifest.toString()));
      assertEquals(1, ambiguous.status(), ambiguous.output());
      assertTrue(ambiguous.output().contains("--connection ID"), ambiguous.output());
      Launcher.Result noStdin =
          baseImage(temp.resolve("cache"), "", List.of("--push", byConnection, "--username", USER));
      assertEquals(2, noStdin.status(), noStdin.output());
      assertTrue(noStdin.output().contains("--username needs --password-stdin"), noStdin.output());
    }
  }

  /** base-image build has no targets: its refusal names its own ways of logging in. */
  @Test
  void aRegistryThatNeedsALoginSaysHowThisCommandGivesOne() throws Exception {
    Path cache = Files.createDirectories(temp.resolve("cache/base-images"));
    TinyBase.write(cache.resolve("debian-python-" + DebianPythonBase.key() + ".tar"), null);
    try (LocalRegistry registry =
        LocalRegistry.start(Files.createDirectories(temp.resolve("registry")), USER, PASSWORD)) {
      Launcher.Result refused =
          baseImage(
              temp.resolve("cache"),
              "",
              List.of("--push", registry.address() + "/odahu/python-base:anonymous"),
              Map.of("DOCKER_CONFIG", temp.resolve("no-docker").toString()));
      assertEquals(1, refused.status(), refused.output());
      assertTrue(
          refused
              .output()
              .contains(
                  "needs credentials for "
                      + registry.address()
                      + "/odahu/python-base: give them with -f FILE (a docker Connection for it;"
                      + " --connection ID picks one), with --username USER --password-stdin, or"
                      + " with docker login "
                      + registry.address()),
          refused.output());
      assertFalse(refused.output().contains("target"), refused.output());
    }
  }

  /**
   * An ecr Connection asks ECR's API (a stand-in on loopback, named as the SDK reads it from the
   * environment) for the repository and a token before the base is built: refused keys end it at
   * once, without showing them.
   */
  @Test
  void anEcrConnectionAsksEcrBeforeTheBaseIsBuilt() throws Exception {
    String secret = "wJalrXUtnFEMI/K7MDENG";
    Path manifest =
        Files.writeString(
            temp.resolve("ecr.yaml"),
            "kind: Connection\nid: aws\nspec:\n  type: ecr\n"
                + "  uri: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/odahu\n  keyID: "
                + Base64.getEncoder().encodeToString("AKIAEXAMPLE".getBytes(StandardCharsets.UTF_8))
                + "\n  keySecret: "
                + Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8))
                + "\n");
    try (EcrApi ecr = EcrApi.start()) {
      ecr.refuseKeys(secret);
      Launcher.Result refused =
          baseImage(
              temp.resolve("cache"),
              "",
              List.of(
                  "--push",
                  "123456789012.dkr.ecr.eu-west-1.amazonaws.com/odahu/python-base:12",
                  "-f",
                  manifest.toString()),
              Map.of("AWS_ENDPOINT_URL_ECR", ecr.endpoint().toString()));
      assertEquals(1, refused.status(), refused.output());
      assertTrue(
          refused.output().contains("ECR's API in eu-west-1 refused the keys of connection 'aws'"),
          refused.output());
      assertFalse(refused.output().contains(secret), refused.output());
      assertFalse(refused.output().contains("Base image:"), refused.output());
      assertEquals(List.of("CreateRepository"), ecr.actions());
      assertEquals("odahu/python-base", ecr.calls().get(0).body().path("repositoryName").asText());
    }
  }

  /**
   * A rebuild that fails (here: a mirror nobody answers on) keeps the cached base, which offline
   * packagings need: it is replaced only by a finished one.
   */
  @Test
  void aFailedForcedRebuildKeepsTheCachedBase() throws Exception {
    Path cache = Files.createDirectories(temp.resolve("cache/base-images"));
    Path tarball =
        TinyBase.write(cache.resolve("debian-python-" + DebianPythonBase.key() + ".tar"), null);
    byte[] cached = Files.readAllBytes(tarball);
    Launcher.Result rebuilt =
        baseImage(
            temp.resolve("cache"), "", List.of("--force", "--mirror", "http://127.0.0.1:9/debian"));
    assertEquals(1, rebuilt.status(), rebuilt.output());
    assertTrue(rebuilt.output().contains("The base image recipe failed"), rebuilt.output());
    assertArrayEquals(cached, Files.readAllBytes(tarball));
    Launcher.Result reused = baseImage(temp.resolve("cache"), "", List.of());
    assertEquals(0, reused.status(), reused.output());
    assertTrue(reused.output().contains("Base image: " + tarball), reused.output());
  }

  /** A --push reference that names no image is refused before the base is built (minutes). */
  @Test
  void anInvalidPushReferenceIsRefusedBeforeTheBaseIsBuilt() throws Exception {
    Path cache = temp.resolve("empty-cache");
    for (String[] refused :
        new String[][] {
          {"registry.example.com/Odahu/Base:1", "PATH of lower-case letters"},
          {"registry.example.com/odahu/base:1 ", "it holds white space"},
          {"registry.example.com/odahu/base@sha256:" + "0".repeat(64), "a digest names an"}
        }) {
      Launcher.Result run =
          baseImage(
              cache, "", List.of("--mirror", "http://127.0.0.1:9/debian", "--push", refused[0]));
      assertEquals(2, run.status(), run.output());
      assertTrue(
          run.output().contains("Invalid value for option '--push': '")
              && run.output().contains("' is not a valid image reference: ")
              && run.output().contains(refused[1]),
          run.output());
      assertFalse(run.output().contains("Building the default base image"), run.output());
    }
    assertFalse(Files.exists(cache.resolve("base-images")), "nothing was built");
  }

  @Test
  void pushesWithWhatDockerLoginStored() throws Exception {
    Path cache = Files.createDirectories(temp.resolve("cache/base-images"));
    TinyBase.write(cache.resolve("debian-python-" + DebianPythonBase.key() + ".tar"), null);
    try (LocalRegistry registry =
        LocalRegistry.start(Files.createDirectories(temp.resolve("registry")), USER, PASSWORD)) {
      Path docker = Files.createDirectories(temp.resolve("docker"));
      Path config = docker.resolve("config.json");
      String auth =
          Base64.getEncoder()
              .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
      Files.writeString(
          config, "{\"auths\": {\"" + registry.address() + "\": {\"auth\": \"" + auth + "\"}}}");
      String byConfig = registry.address() + "/odahu/python-base:config";
      Launcher.Result pushed =
          baseImage(
              temp.resolve("cache"),
              "",
              List.of("--push", byConfig),
              Map.of("DOCKER_CONFIG", docker.toString()));
      assertEquals(0, pushed.status(), pushed.output());
      assertTrue(
          pushed
              .output()
              .contains("Credentials for " + registry.address() + ": docker's config " + config),
          pushed.output());
      assertFalse(pushed.output().contains(PASSWORD), pushed.output());
      assertTrue(registry.manifestDigest(byConfig, USER + ":" + PASSWORD).startsWith("sha256:"));

      // A credential helper docker's config names for the registry, found on PATH.
      Path bin = Files.createDirectories(temp.resolve("bin"));
      Path helper = bin.resolve("docker-credential-odahu-it");
      Files.writeString(
          helper,
          "#!/bin/sh\nread server\n[ \"$server\" = \""
              + registry.address()
              + "\" ] || exit 1\nprintf '{\"Username\": \""
              + USER
              + "\", \"Secret\": \""
              + PASSWORD
              + "\"}'\n");
      Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.writeString(
          config, "{\"credHelpers\": {\"" + registry.address() + "\": \"odahu-it\"}}");
      String byHelper = registry.address() + "/odahu/python-base:helper";
      Launcher.Result helped =
          baseImage(
              temp.resolve("cache"),
              "",
              List.of("--push", byHelper),
              Map.of(
                  "DOCKER_CONFIG",
                  docker.toString(),
                  "PATH",
                  bin + File.pathSeparator + System.getenv("PATH")));
      assertEquals(0, helped.status(), helped.output());
      assertTrue(
          helped
              .output()
              .contains(
                  "Credentials for "
                      + registry.address()
                      + ": the credential helper docker-credential-odahu-it"),
          helped.output());
      assertFalse(helped.output().contains(PASSWORD), helped.output());
      assertTrue(registry.manifestDigest(byHelper, USER + ":" + PASSWORD).startsWith("sha256:"));

      // A stale login: the refusal names where the credentials came from, not a connection.
      String stale = "stale-Passw0rd";
      Files.writeString(
          config,
          "{\"auths\": {\"http://"
              + registry.address()
              + "\": {\"auth\": \""
              + Base64.getEncoder()
                  .encodeToString((USER + ":" + stale).getBytes(StandardCharsets.UTF_8))
              + "\"}}}");
      Launcher.Result refused =
          baseImage(
              temp.resolve("cache"),
              "",
              List.of("--push", registry.address() + "/odahu/python-base:stale"),
              Map.of("DOCKER_CONFIG", docker.toString()));
      assertEquals(1, refused.status(), refused.output());
      assertTrue(
          refused
              .output()
              .contains("check the username and password from docker's config " + config),
          refused.output());
      assertFalse(refused.output().contains(stale), refused.output());
    }
  }

  @Test
  void pushesWithAnIdentityTokenDockerLoginStored() throws Exception {
    Path cache = Files.createDirectories(temp.resolve("cache/base-images"));
    TinyBase.write(cache.resolve("debian-python-" + DebianPythonBase.key() + ".tar"), null);
    String token = "odahu-identity-" + UUID.randomUUID();
    try (TokenServer tokens =
            TokenServer.start(Files.createDirectories(temp.resolve("tokens")), token);
        LocalRegistry registry =
            LocalRegistry.startWithTokens(
                Files.createDirectories(temp.resolve("registry")), tokens)) {
      Path docker = Files.createDirectories(temp.resolve("docker"));
      Path config = docker.resolve("config.json");
      // As `az acr login` stores it: a placeholder user without a password beside the token.
      String placeholder =
          Base64.getEncoder()
              .encodeToString(
                  "00000000-0000-0000-0000-000000000000:".getBytes(StandardCharsets.UTF_8));
      String entry = "{\"auths\": {\"%s\": {\"auth\": \"%s\", \"identitytoken\": \"%s\"}}}";
      Files.writeString(config, entry.formatted(registry.address(), placeholder, token));
      Launcher.Result pushed =
          baseImage(
              temp.resolve("cache"),
              "",
              List.of("--push", registry.address() + "/odahu/python-base:token"),
              Map.of("DOCKER_CONFIG", docker.toString()));
      assertEquals(0, pushed.status(), pushed.output());
      assertTrue(
          pushed
              .output()
              .contains(
                  "Credentials for "
                      + registry.address()
                      + ": the identity token in docker's config "
                      + config),
          pushed.output());
      assertFalse(pushed.output().contains(token), pushed.output());
      assertTrue(
          tokens.requests().contains("POST refresh_token accepted"), tokens.requests().toString());
      assertTrue(
          registry.storedTag("odahu/python-base", "token").startsWith("sha256:"), registry.log());

      // A revoked or expired token: the refusal says which login to renew, and never shows it.
      String revoked = "odahu-revoked-" + UUID.randomUUID();
      Files.writeString(config, entry.formatted(registry.address(), placeholder, revoked));
      Launcher.Result refused =
          baseImage(
              temp.resolve("cache"),
              "",
              List.of("--push", registry.address() + "/odahu/python-base:revoked"),
              Map.of("DOCKER_CONFIG", docker.toString()));
      assertEquals(1, refused.status(), refused.output());
      assertTrue(
          refused.output().contains("check the identity token in docker's config " + config),
          refused.output());
      assertFalse(refused.output().contains(revoked), refused.output());
      assertTrue(
          tokens.requests().contains("POST refresh_token refused"), tokens.requests().toString());
    }
  }

  @Test
  void packagesOnABaseInARegistryLoggedInToWithDocker() throws Exception {
    new DebianPythonBase(
            TestPackagers.cacheDirectory(), Packagers.DEBIAN_MIRROR, PackagingListener.NONE)
        .ensure();
    try (LocalRegistry registry =
        LocalRegistry.start(Files.createDirectories(temp.resolve("registry")), USER, PASSWORD)) {
      Path docker = Files.createDirectories(temp.resolve("docker"));
      Path config =
          Files.writeString(
              docker.resolve("config.json"),
              "{\"auths\": {\"https://"
                  + registry.address()
                  + "/v1/\": {\"auth\": \""
                  + Base64.getEncoder()
                      .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8))
                  + "\"}}}");
      Map<String, String> loggedIn = Map.of("DOCKER_CONFIG", docker.toString());
      String base = registry.address() + "/odahu/python-base:private";
      Launcher.Result pushed =
          baseImage(TestPackagers.cacheDirectory(), "", List.of("--push", base), loggedIn);
      assertEquals(0, pushed.status(), pushed.output());

      Path manifest =
          Files.writeString(
              temp.resolve("packaging.yaml"),
              "kind: ModelPackaging\nid: simple\nspec: {artifactName: simple, integrationName:"
                  + " docker-rest, arguments: {imageName: \"odahu/simple:1.0\","
                  + " dockerfileBaseImage: \""
                  + base
                  + "\"}}\n");
      List<String> packRun =
          List.of(
              "pack",
              "run",
              "--id",
              "simple",
              "-f",
              manifest.toString(),
              "--artifact-path",
              Examples.directory().toString(),
              "--output",
              temp.resolve("simple.tar").toString(),
              "--result-dir",
              temp.toString());
      ProcessBuilder withLogin = Launcher.builder("odahu-pack", packRun);
      withLogin.environment().putAll(loggedIn);
      Launcher.Result packed = Launcher.run(withLogin);
      assertEquals(0, packed.status(), packed.output());
      assertTrue(
          packed
              .output()
              .contains("Credentials for " + registry.address() + ": docker's config " + config),
          packed.output());
      assertFalse(packed.output().contains(PASSWORD), packed.output());
      assertTrue(Files.isRegularFile(temp.resolve("simple.tar")));

      ProcessBuilder withoutLogin = Launcher.builder("odahu-pack", packRun);
      withoutLogin.environment().put("DOCKER_CONFIG", temp.resolve("no-docker").toString());
      Launcher.Result refused = Launcher.run(withoutLogin);
      assertEquals(1, refused.status(), refused.output());
      assertTrue(
          refused
              .output()
              .contains(
                  "needs credentials for "
                      + registry.address()
                      + "/odahu/python-base: give them with a docker-pull target whose"
                      + " connection's uri is "
                      + registry.address()
                      + ", or with docker login "
                      + registry.address()),
          refused.output());
    }
  }
}
