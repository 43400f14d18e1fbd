package org.odahu.pack.packager.image;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds a program as a shell does, on a {@code PATH} given as text. */
final class SearchPath {
  private SearchPath() {}

  /** The first executable file {@code program} in the directories of {@code path}, if any. */
  static Optional<Path> find(String program, String path) {
    for (String directory : path.split(File.pathSeparator, -1)) {
      if (directory.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(directory, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
