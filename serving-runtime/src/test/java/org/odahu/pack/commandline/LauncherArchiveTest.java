package org.odahu.pack.commandline;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LauncherArchiveTest {
  @TempDir Path cache;

  @Test
  void aDumpNeedsRoomOnTheCachesFileSystem() {
    assertTrue(LauncherArchive.hasRoom(cache, 1));
    assertFalse(LauncherArchive.hasRoom(cache, Long.MAX_VALUE));
    assertFalse(LauncherArchive.hasRoom(cache.resolve("missing"), 1));
  }
}
