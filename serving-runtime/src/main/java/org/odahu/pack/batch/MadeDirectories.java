package org.odahu.pack.batch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The directories a run created for its result (the missing part of {@code OUTPUT_DIR}'s path), so
 * that a failed run can take them away again: a mistyped or failed run leaves nothing behind.
 *
 * @param made the directories created, the deepest first
 */
record MadeDirectories(List<Path> made) {

  /** Creates {@code directory} and its missing parents, remembering which were missing. */
  static MadeDirectories make(Path directory) throws IOException {
    List<Path> missing = new ArrayList<>();
    for (Path path = directory.toAbsolutePath(); path != null && !Files.exists(path); ) {
      missing.add(path);
      path = path.getParent();
    }
    Files.createDirectories(directory);
    return new MadeDirectories(List.copyOf(missing));
  }

  /**
   * Deletes the directories made, the deepest first, as long as they are empty: a file someone else
   * put there meanwhile keeps its directory.
   */
  void removeIfEmpty() {
    for (Path path : made) {
      try {
        Files.deleteIfExists(path);
      } catch (IOException e) {
        return; // not empty, or not ours to delete: left, the run's own error is the one to report
      }
    }
  }
}
