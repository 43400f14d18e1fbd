package org.odahu.pack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.baseimages.DebianPythonBase;
import org.odahu.pack.packager.testing.LocalRegistry;
import org.odahu.pack.packager.testing.TinyBase;

/**
 * {@code base-image build --push} logs in to a registry that needs it (docker-registry with
 * htpasswd on loopback), with a docker Connection from a manifest file as {@code pack run} takes
 * it, or with {@code --username} and {@code --password-stdin}; the password never appears in
 * output. The distribution's launcher runs with a cache that already holds the base tarball (a tiny
 * one in the recipe's place), so nothing needs debootstrap or root.
 */
class BaseImagePushIT {
  private static final String USER = "pusher";
  private static final String PASSWORD = "s3cret-Pa55word";

  @TempDir Path temp;

  private Launcher.Result baseImage(Path cache, String stdin, List<String> arguments)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("base-image", "build"));
    command.addAll(arguments);
    ProcessBuilder builder = Launcher.builder("odahu-pack", command);
    builder.environment().put("ODAHU_PACK_CACHE", cache.toString());
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
}
