package org.odahu.pack.packager.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.packager.testing.TinyBase;

/**
 * Jib's caches lose the layers no build has read for a while, the selectors naming them and what
 * stopped builds left; a build after that makes (or pulls) what it needs again, to the same image.
 */
class JibCachePruningTest {
  private static final String OLD = "a".repeat(64);
  private static final String READ = "b".repeat(64);
  private static final String NEW = "c".repeat(64);

  @TempDir Path temp;

  private static Path file(Path path, String text, Instant read, Instant written)
      throws IOException {
    Files.createDirectories(path.getParent());
    Files.writeString(path, text);
    Files.setAttribute(path, "lastAccessTime", FileTime.from(read));
    Files.setLastModifiedTime(path, FileTime.from(written));
    return path;
  }

  private static void age(Path directory, Instant time) throws IOException {
    Files.setLastModifiedTime(directory, FileTime.from(time));
  }

  @Test
  void layersUnreadSinceTheCutoffGoWithTheirSelectors() throws IOException {
    Instant now = Instant.now();
    Instant longAgo = now.minus(Duration.ofDays(40));
    Path application = temp.resolve("jib/application");
    file(application.resolve("layers/" + OLD + "/" + OLD), "x".repeat(1000), longAgo, longAgo);
    file(application.resolve("layers/" + READ + "/" + READ), "y", now, longAgo); // reused lately
    file(application.resolve("layers/" + NEW + "/" + NEW), "z", now, now);
    for (String digest : List.of(OLD, READ, NEW)) {
      age(application.resolve("layers/" + digest), longAgo);
    }
    file(application.resolve("selectors/s-old"), OLD, longAgo, longAgo);
    file(application.resolve("selectors/s-read"), READ, longAgo, longAgo);
    file(application.resolve("selectors/s-junk"), "not a digest", longAgo, longAgo);
    Path stopped = file(application.resolve("tmp/123/partial"), "p", longAgo, longAgo).getParent();
    age(stopped, longAgo);
    Path running = file(application.resolve("tmp/456/partial"), "p", now, now).getParent();
    Path base = temp.resolve("jib/base");
    file(base.resolve("local/" + OLD + "/" + OLD), "w".repeat(500), longAgo, longAgo);
    age(base.resolve("local/" + OLD), longAgo);
    Path config = file(base.resolve("local/config/" + OLD), "{}", longAgo, longAgo);
    age(config.getParent(), longAgo);

    JibCachePruning.Removed removed =
        JibCachePruning.prune(
            temp.resolve("jib"), now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)));

    assertEquals(new JibCachePruning.Removed(2, 1500), removed);
    assertFalse(Files.exists(application.resolve("layers/" + OLD)));
    assertTrue(Files.exists(application.resolve("layers/" + READ + "/" + READ)));
    assertTrue(Files.exists(application.resolve("layers/" + NEW + "/" + NEW)));
    assertFalse(Files.exists(application.resolve("selectors/s-old")));
    assertTrue(Files.exists(application.resolve("selectors/s-read")));
    assertTrue(Files.exists(application.resolve("selectors/s-junk")), "not Jib's: left alone");
    assertFalse(Files.exists(stopped));
    assertTrue(Files.exists(running));
    assertFalse(Files.exists(base.resolve("local/" + OLD)));
    assertTrue(Files.exists(config), "a tarball base's config is not a layer");
    // Nothing there: nothing to do.
    assertEquals(
        new JibCachePruning.Removed(0, 0),
        JibCachePruning.prune(temp.resolve("nothing"), now, now));
  }

  private BuiltImage build(Path cache, Path tarball) throws IOException {
    Path app = Files.createDirectories(temp.resolve("app"));
    Files.writeString(app.resolve("model.txt"), "weights\n");
    ImagePlan plan =
        new ImagePlan(
            BaseImage.tarball(TinyBase.write(temp.resolve("base.tar"), "tiny/base:1")),
            List.of(Layers.directory("model", app, "/app", Set.of())),
            Map.of(),
            List.of("/bin/true"),
            null,
            Map.of(),
            "/app");
    return new ImageBuilder(cache, PackagingListener.NONE, "test")
        .build(plan, new ImageDestination.Tarball("tiny:1.0", tarball, ImageFormat.Docker));
  }

  private static long files(Path directory) throws IOException {
    try (Stream<Path> all = Files.walk(directory)) {
      return all.filter(Files::isRegularFile).count();
    }
  }

  @Test
  void aBuildAfterPruningMakesTheSameImageAgain() throws IOException {
    Path cache = temp.resolve("jib");
    BuiltImage first = build(cache, temp.resolve("first.tar"));
    assertTrue(files(cache.resolve("application/layers")) > 0);

    // Everything counts as unused: the next build finds no layer and no valid selector.
    Instant later = Instant.now().plusSeconds(60);
    JibCachePruning.Removed removed = JibCachePruning.prune(cache, later, later);
    assertTrue(removed.layers() >= 2, removed.toString()); // the model's layer and the base's
    assertEquals(0, files(cache.resolve("application/layers")));
    assertEquals(0, files(cache.resolve("application/selectors")));

    BuiltImage second = build(cache, temp.resolve("second.tar"));
    assertEquals(first.digest(), second.digest());
    assertArrayEquals(
        Files.readAllBytes(temp.resolve("first.tar")),
        Files.readAllBytes(temp.resolve("second.tar")));
  }
}
