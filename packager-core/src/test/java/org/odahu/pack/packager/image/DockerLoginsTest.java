package org.odahu.pack.packager.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.packager.RegistryCredentials;
import org.odahu.pack.packager.testing.RecordingListener;

/**
 * Docker's config read as docker reads it, with real credential helper programs (shell scripts on a
 * PATH of their own); whatever goes wrong is a warning that never shows a secret.
 */
class DockerLoginsTest {
  private static final String SECRET = "Dock3r-config-Secret";

  @TempDir Path temp;
  private final RecordingListener listener = new RecordingListener();

  private DockerLogins logins(String config) throws IOException {
    Path directory = Files.createDirectories(temp.resolve("docker"));
    Files.writeString(directory.resolve("config.json"), config);
    return new DockerLogins(
        Map.of("DOCKER_CONFIG", directory.toString(), "PATH", temp.resolve("bin").toString()));
  }

  private static String auth(String user, String password) {
    return Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** A credential helper {@code docker-credential-NAME} running {@code body} (sh). */
  private void helper(String name, String body) throws IOException {
    Path bin = Files.createDirectories(temp.resolve("bin"));
    Path script = bin.resolve("docker-credential-" + name);
    Files.writeString(script, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private void assertNothingShown() {
    for (String line : listener.lines()) {
      assertFalse(line.contains(SECRET), line);
    }
  }

  @Test
  void theConfigIsWhereDockerLooksForIt() {
    assertEquals(
        Path.of("/etc/docker-cfg/config.json"),
        new DockerLogins(Map.of("DOCKER_CONFIG", "/etc/docker-cfg", "HOME", "/home/u"))
            .configFile());
    assertEquals(
        Path.of("/home/u/.docker/config.json"),
        new DockerLogins(Map.of("HOME", "/home/u")).configFile());
  }

  @Test
  void anAuthEntryGivesItsUserAndPasswordToItsRegistryOnly() throws IOException {
    DockerLogins logins =
        logins(
            """
            {"auths": {
              "https://registry.example.com:5000/v2/": {"auth": "%s"},
              "https://index.docker.io/v1/": {"auth": "%s"},
              "legacy.example.com": {"username": "old", "password": " spaced "}
            }}
            """
                .formatted(auth("odahu", SECRET), auth("hub-user", "hub:pass")));
    RegistryCredentials own =
        logins.find("registry.example.com:5000/odahu/wine:1", listener).orElseThrow();
    assertEquals("odahu", own.username());
    assertEquals(SECRET, own.password());
    assertEquals("docker's config " + temp.resolve("docker/config.json"), own.source());
    RegistryCredentials hub = logins.find("python:3.11", listener).orElseThrow();
    assertEquals("hub-user", hub.username());
    assertEquals("hub:pass", hub.password(), "a password may hold a colon");
    assertEquals(
        " spaced ",
        logins.find("legacy.example.com/m:1", listener).orElseThrow().password(),
        "written as is");
    assertEquals(Optional.empty(), logins.find("registry.example.com/odahu/wine:1", listener));
    assertEquals(Optional.empty(), logins.find("other.example.com:5000/wine", listener));
    assertEquals(
        List.of(
            "Credentials for registry.example.com:5000: " + own.source(),
            "Credentials for docker.io: " + own.source(),
            "Credentials for legacy.example.com: " + own.source()),
        listener.lines());
    assertNothingShown();
  }

  @Test
  void aCredentialHelperIsAskedWithTheRegistryOnItsInputOncePerRegistry() throws IOException {
    Path calls = temp.resolve("calls");
    helper(
        "odahu-test",
        """
        read server
        echo "$1 $server" >> %s
        [ "$server" = "registry.example.com" ] || { echo "credentials not found in native keychain"; exit 1; }
        printf '{"ServerURL": "%%s", "Username": "helper-user", "Secret": "%s"}' "$server"
        """
            .formatted(calls, SECRET));
    DockerLogins logins =
        logins(
            """
            {"auths": {"registry.example.com": {}, "other.example.com": {"auth": "%s"}},
             "credsStore": "odahu-test"}
            """
                .formatted(auth("file-user", "file-password")));
    RegistryCredentials found =
        logins.find("registry.example.com/odahu/wine:1", listener).orElseThrow();
    assertEquals("helper-user", found.username());
    assertEquals(SECRET, found.password());
    assertEquals("the credential helper docker-credential-odahu-test", found.source());
    logins.find("registry.example.com/odahu/other:2", listener);
    assertEquals(List.of("get registry.example.com"), Files.readAllLines(calls), "asked once");

    // With a credsStore, docker asks the store, not the file: the store has none for this one.
    assertEquals(Optional.empty(), logins.find("other.example.com/wine:1", listener));
    assertTrue(
        listener
            .lines()
            .contains("docker-credential-odahu-test holds no credentials for other.example.com"),
        listener.lines().toString());
    assertNothingShown();
  }

  @Test
  void credHelpersNameTheHelperOfOneRegistry() throws IOException {
    helper("per-registry", "printf '{\"Username\": \"u\", \"Secret\": \"%s\"}'".formatted(SECRET));
    DockerLogins logins =
        logins(
            """
            {"credHelpers": {"registry.example.com": "per-registry"},
             "auths": {"other.example.com": {"auth": "%s"}}}
            """
                .formatted(auth("file-user", "file-password")));
    assertEquals(
        SECRET, logins.find("registry.example.com/wine:1", listener).orElseThrow().password());
    assertEquals(
        "file-password",
        logins.find("other.example.com/wine:1", listener).orElseThrow().password());
  }

  @Test
  void whateverGoesWrongIsAWarningThatShowsNoSecret() throws IOException {
    helper("prints-garbage", "read server; echo 'Secret: " + SECRET + "'");
    helper("fails", "echo '" + SECRET + "' >&2; echo '" + SECRET + "'; exit 3");
    helper("no-json-fields", "echo '{\"Username\": \"u\"}'");
    DockerLogins logins =
        logins(
            """
            {"credHelpers": {
               "garbage.example.com": "prints-garbage",
               "fails.example.com": "fails",
               "fields.example.com": "no-json-fields",
               "missing.example.com": "not-installed",
               "escape.example.com": "../../bin/sh"},
             "auths": {
               "no-colon.example.com": {"auth": "%s"},
               "not-base64.example.com": {"auth": "%s!!"}}}
            """
                .formatted(
                    Base64.getEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8)),
                    SECRET));
    for (String registry :
        List.of("garbage", "fails", "fields", "missing", "escape", "no-colon", "not-base64")) {
      assertEquals(
          Optional.empty(), logins.find(registry + ".example.com/wine:1", listener), registry);
    }
    List<String> lines = listener.lines();
    assertEquals(7, lines.size(), lines.toString());
    assertTrue(
        lines.contains(
            "docker-credential-prints-garbage did not answer a Username and Secret (its JSON) for"
                + " garbage.example.com"),
        lines.toString());
    assertTrue(
        lines.contains("docker-credential-fails failed (exit 3) for fails.example.com"),
        lines.toString());
    assertTrue(
        lines.contains(
            "docker-credential-not-installed (docker's credential helper for missing.example.com)"
                + " is not on PATH: no credentials for missing.example.com"),
        lines.toString());
    assertNothingShown();
  }

  @Test
  void anIdentityTokenIsAnOAuthRefreshTokenForJibAndWinsOverAuth() throws IOException {
    String placeholder =
        Base64.getEncoder()
            .encodeToString(
                "00000000-0000-0000-0000-000000000000:".getBytes(StandardCharsets.UTF_8));
    DockerLogins logins =
        logins(
            "{\"auths\": {\"https://acr.example.com\": {\"auth\": \"%s\", \"identitytoken\": \"%s\"}}}"
                .formatted(placeholder, SECRET));
    RegistryCredentials found = logins.find("acr.example.com/wine:1", listener).orElseThrow();
    // Jib exchanges a password under the user "<token>" at the registry's token service.
    assertEquals(
        com.google.cloud.tools.jib.api.Credential.OAUTH2_TOKEN_USER_NAME, found.username());
    assertEquals(SECRET, found.password());
    assertEquals(
        "the identity token in docker's config " + temp.resolve("docker/config.json"),
        found.source());
    assertEquals(List.of("Credentials for acr.example.com: " + found.source()), listener.lines());
    assertNothingShown();
  }

  @Test
  void aConfigThatIsNotJsonIsAWarning() throws IOException {
    DockerLogins logins = logins("{\"auths\": {\"registry.example.com\": {\"auth\": \"" + SECRET);
    assertEquals(Optional.empty(), logins.find("registry.example.com/wine:1", listener));
    assertEquals(
        List.of(
            "Cannot read docker's config "
                + temp.resolve("docker/config.json")
                + " (not valid JSON): no credentials from it for registry.example.com"),
        listener.lines());
  }

  @Test
  void aHelperThatDoesNotAnswerIsLeftAfterTheRegistryTimeout() throws IOException {
    helper("hangs", "sleep 60");
    DockerLogins logins = logins("{\"credsStore\": \"hangs\"}");
    System.setProperty(RegistryTimeouts.PROPERTY, "1");
    long started = System.nanoTime();
    try {
      assertEquals(Optional.empty(), logins.find("registry.example.com/wine:1", listener));
    } finally {
      System.clearProperty(RegistryTimeouts.PROPERTY);
    }
    assertTrue(System.nanoTime() - started < 20_000_000_000L, "not the helper's 60 s");
    assertEquals(
        List.of(
            "docker-credential-hangs did not answer within 1 s: no credentials for"
                + " registry.example.com"),
        listener.lines());
  }
}
