package org.odahu.pack.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MadeDirectoriesTest {
  @TempDir Path temp;

  @Test
  void onlyTheDirectoriesThatWereMissingAreRemoved() throws IOException {
    Files.createDirectory(temp.resolve("there"));
    Path result = temp.resolve("there/a/b");
    MadeDirectories made = MadeDirectories.make(result);
    assertTrue(Files.isDirectory(result));
    assertEquals(List.of(result, temp.resolve("there/a")), made.made());
    made.removeIfEmpty();
    assertFalse(Files.exists(temp.resolve("there/a")));
    assertTrue(Files.isDirectory(temp.resolve("there")));
  }

  @Test
  void aDirectorySomeoneWroteToMeanwhileStays() throws IOException {
    Path result = temp.resolve("a/b");
    MadeDirectories made = MadeDirectories.make(result);
    Files.writeString(temp.resolve("a/other.json"), "{}");
    made.removeIfEmpty();
    assertFalse(Files.exists(result));
    assertTrue(Files.exists(temp.resolve("a/other.json")));
  }

  @Test
  void anExistingDirectoryIsNeverRemoved() throws IOException {
    MadeDirectories made = MadeDirectories.make(temp);
    assertEquals(List.of(), made.made());
    made.removeIfEmpty();
    assertTrue(Files.isDirectory(temp));
  }
}
