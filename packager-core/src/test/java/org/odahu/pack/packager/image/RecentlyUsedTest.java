package org.odahu.pack.packager.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

/** A cache of entries keyed by build inputs stays bounded: the most recently used ones remain. */
class RecentlyUsedTest {
  @TempDir Path temp;

  private Path entry(String name, long usedSecondsAgo) throws IOException {
    Path entry = Files.createDirectories(temp.resolve(name));
    Files.writeString(entry.resolve("data"), name);
    if (usedSecondsAgo >= 0) {
      RecentlyUsed.touch(entry);
      Files.setLastModifiedTime(
          entry.resolve("used"), FileTime.from(Instant.now().minusSeconds(usedSecondsAgo)));
    }
    return entry;
  }

  private List<String> left() throws IOException {
    try (Stream<Path> all = Files.list(temp)) {
      return all.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void storingAnEntryKeepsItAndTheMostRecentlyUsedOthers() throws IOException {
    entry("old", 3_000);
    entry("recent", 10);
    entry("older", 6_000);
    entry("never-marked", -1);
    entry("dumping-123", -1); // another process's work in progress
    Path current = entry("new", 100_000); // the one just stored counts whatever its mark says
    RecentlyUsed.keepNewest(temp, current, 2, "dumping-");
    assertEquals(List.of("dumping-123", "new", "recent"), left());
  }

  @Test
  void anEntryAnotherProcessStoredFirstIsKeptAndOtherWorkStays() throws IOException {
    Path stored = entry("jre-abc", 10); // stored by another packaging meanwhile
    Path staged = entry("staging-1", -1);
    Path running = entry("run-7", -1); // another packaging's self-check at work
    RecentlyUsed.store(staged, stored, 1, "staging-", "run-");
    assertEquals("jre-abc", Files.readString(stored.resolve("data")));
    assertTrue(Files.isDirectory(running), "another process's work was deleted");
  }

  @Test
  void touchingMarksAnEntryAsUsedNow() throws IOException {
    Path entry = entry("a", 5_000);
    Instant before = Instant.now().minusSeconds(1);
    RecentlyUsed.touch(entry);
    assertTrue(Files.getLastModifiedTime(entry.resolve("used")).toInstant().isAfter(before));
    Path other = entry("b", 10);
    RecentlyUsed.keepNewest(temp, other, 2, "dumping-");
    entry("c", 1);
    RecentlyUsed.keepNewest(temp, temp.resolve("c"), 2, "dumping-");
    assertEquals(List.of("a", "c"), left(), "a was used last among the others");
  }
}
