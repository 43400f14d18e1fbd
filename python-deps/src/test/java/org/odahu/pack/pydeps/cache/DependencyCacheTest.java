package org.odahu.pack.pydeps.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
  void aKilledRunsPartialDownloadsAndTreesAreSweptOnce() throws Exception {
    Path tmp = Files.createDirectories(cache.resolve("tmp"));
    FileTime twoDaysAgo = FileTime.from(Instant.now().minus(DependencyCache.STALE.multipliedBy(2)));
    Path partial = Files.writeString(tmp.resolve("partial-download"), "half a wheel");
    Files.setLastModifiedTime(partial, twoDaysAgo);
    Path tree = Files.createDirectories(tmp.resolve("staging-tree/site-packages/x"));
    Files.writeString(tree.resolve("__init__.py"), "");
    Files.setLastModifiedTime(tmp.resolve("staging-tree"), twoDaysAgo);
    Path running = Files.writeString(tmp.resolve("another-runs-download"), "in progress");
    // Named by their process: a dead one's goes whatever its time, a live one's stays although
    // its tree has the fixed time of reproducible layers.
    Process ended = new ProcessBuilder("true").start();
    assertEquals(0, ended.waitFor());
    Path killed = Files.createDirectories(tmp.resolve(ended.pid() + "-tree"));
    Path live = Files.createDirectories(tmp.resolve(ProcessHandle.current().pid() + "-tree"));
    Files.setLastModifiedTime(live, FileTime.fromMillis(1000));

    DependencyCache dependencies = new DependencyCache(cache);
    Path next = dependencies.newTemporary();
    assertEquals(tmp, next.getParent());
    assertTrue(next.getFileName().toString().startsWith(ProcessHandle.current().pid() + "-"));
    assertEquals(List.of(live, running), list(tmp).stream().sorted().toList());
    assertFalse(Files.exists(killed));

    Files.setLastModifiedTime(running, twoDaysAgo);
    dependencies.newTemporary();
    assertEquals(
        List.of(live, running),
        list(tmp).stream().sorted().toList(),
        "swept once per cache, not on every download");
  }

  private static List<Path> list(Path directory) throws IOException {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.toList();
    }
  }
}
