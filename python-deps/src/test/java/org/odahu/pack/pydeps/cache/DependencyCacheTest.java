package org.odahu.pack.pydeps.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a killed run leaves in the cache's temporary directory goes; a running one's stays. */
class DependencyCacheTest {
  @TempDir Path cache;

  @Test
  void aKilledRunsPartialDownloadsAndTreesAreSweptOnce() throws IOException {
    Path tmp = Files.createDirectories(cache.resolve("tmp"));
    FileTime twoDaysAgo = FileTime.from(Instant.now().minus(DependencyCache.STALE.multipliedBy(2)));
    Path partial = Files.writeString(tmp.resolve("partial-download"), "half a wheel");
    Files.setLastModifiedTime(partial, twoDaysAgo);
    Path tree = Files.createDirectories(tmp.resolve("staging-tree/site-packages/x"));
    Files.writeString(tree.resolve("__init__.py"), "");
    Files.setLastModifiedTime(tmp.resolve("staging-tree"), twoDaysAgo);
    Path running = Files.writeString(tmp.resolve("another-runs-download"), "in progress");

    DependencyCache dependencies = new DependencyCache(cache);
    Path next = dependencies.newTemporary();
    assertEquals(tmp, next.getParent());
    assertEquals(List.of(running), list(tmp));

    Files.setLastModifiedTime(running, twoDaysAgo);
    dependencies.newTemporary();
    assertEquals(List.of(running), list(tmp), "swept once per cache, not on every download");
  }

  private static List<Path> list(Path directory) throws IOException {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.toList();
    }
  }
}
