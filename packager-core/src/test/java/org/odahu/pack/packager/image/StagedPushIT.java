package org.odahu.pack.packager.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.packager.PackagingException;
import org.odahu.pack.packager.testing.LocalRegistry;
import org.odahu.pack.packager.testing.TinyBase;
import org.odahu.pack.packager.testing.Trees;

/**
 * A finished image reaches its tag in one step: Jib pushes under the repository's staging tag, the
 * finished manifest then goes to the real tag. A push that fails before the finished manifest is
 * pushed leaves the tag where it was.
 */
class StagedPushIT {
  @TempDir Path temp;

  private ImagePlan plan(String version) throws IOException {
    Path app = Files.createDirectories(temp.resolve("app-" + version));
    Files.writeString(app.resolve("version"), version);
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("org.opencontainers.image.version", version);
    return new ImagePlan(
        BaseImage.tarball(TinyBase.write(temp.resolve("base.tar"), "tiny/base:1")),
        List.of(Layers.directory("model", app, "/app", Set.of())),
        Map.of(),
        List.of("/bin/true"),
        null,
        labels,
        "/app",
        "10001:10001",
        "SIGTERM",
        labels);
  }

  private static List<String> tags(LocalRegistry registry, String repository)
      throws IOException, InterruptedException {
    HttpResponse<String> answer =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://" + registry.address() + "/v2/" + repository + "/tags/list"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    JsonNode tags = new ObjectMapper().readTree(answer.body()).path("tags");
    return tags.isArray() ? tags.valueStream().map(JsonNode::asText).toList() : List.of();
  }

  @Test
  void theTagMovesOnlyToTheFinishedImage() throws Exception {
    Path registryDir = Files.createTempDirectory("odahu-registry-");
    try (LocalRegistry registry = LocalRegistry.start(registryDir)) {
      String reference = registry.address() + "/odahu/tiny:1";
      BuiltImage first =
          new ImageBuilder(temp.resolve("cache"), PackagingListener.NONE, "test")
              .build(plan("1"), new ImageDestination.Registry(reference, null, false));
      assertEquals(first.digest(), registry.manifestDigest(reference));
      assertFalse(
          registry.manifest(reference).path("annotations").isEmpty(),
          "the finished manifest, with annotations");
      assertEquals(
          List.of("1", "odahu-pack-staging"),
          tags(registry, "odahu/tiny").stream().sorted().toList(),
          "one staging tag besides the real one");

      // The finish step fails (as when the process is stopped there): Jib's push is done.
      PackagingListener failing =
          new PackagingListener() {
            @Override
            public void step(String description) {
              if (description.startsWith("Adding the stop signal")) {
                throw new IllegalStateException("stopped");
              }
            }
          };
      PackagingException error =
          assertThrows(
              PackagingException.class,
              () ->
                  new ImageBuilder(temp.resolve("cache"), failing, "test")
                      .build(plan("2"), new ImageDestination.Registry(reference, null, false)));
      assertEquals(
          first.digest(), registry.manifestDigest(reference), "the tag still names the good image");
      assertTrue(
          error.getMessage().contains(reference + " was not changed (the unfinished image is "),
          error.getMessage());
      assertEquals(
          List.of("1", "odahu-pack-staging"),
          tags(registry, "odahu/tiny").stream().sorted().toList());
      assertTrue(
          error.getMessage().contains(registry.address() + "/odahu/tiny:odahu-pack-staging"),
          error.getMessage());
      assertFalse(error.getMessage().contains("Exception"), error.getMessage());
    } finally {
      Trees.delete(registryDir);
    }
  }

  @Test
  void aLoopbackPushWarnsOfNothingAndItsProgressNeverGoesBack() throws Exception {
    Path registryDir = Files.createTempDirectory("odahu-registry-");
    List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<String> details = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<Double> progress = new java.util.concurrent.CopyOnWriteArrayList<>();
    PackagingListener recording =
        new PackagingListener() {
          @Override
          public void warning(String message) {
            warnings.add(message);
          }

          @Override
          public void detail(String message) {
            details.add(message);
          }

          @Override
          public void progress(double fraction) {
            progress.add(fraction);
          }
        };
    try (LocalRegistry registry = LocalRegistry.start(registryDir)) {
      new ImageBuilder(temp.resolve("cache"), recording, "test")
          .build(
              plan("1"),
              new ImageDestination.Registry(registry.address() + "/odahu/tiny:1", null, false));
      assertEquals(List.of(), warnings, "HTTP is simply allowed on loopback");
      assertTrue(
          details.stream().anyMatch(ImageBuilder::isHttpsFailover),
          "Jib's fallback to HTTP is a detail for --verbose: " + details);
      for (int i = 1; i < progress.size(); i++) {
        assertTrue(progress.get(i) >= progress.get(i - 1), "progress went back: " + progress);
      }
    } finally {
      Trees.delete(registryDir);
    }
  }
}
