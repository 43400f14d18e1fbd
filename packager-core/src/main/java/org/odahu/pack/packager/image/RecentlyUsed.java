package org.odahu.pack.packager.image;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.odahu.pack.artifact.files.FileTrees;

/**
 * Cache entries (directories) kept by recent use: each holds a {@code used} file whose time is its
 * last use, and storing a new entry deletes all but the most recently used, so a cache keyed by
 * inputs that change with every odahu-pack build (jars, layers) stays bounded.
 */
final class RecentlyUsed {
  private static final String USED = "used";

  private RecentlyUsed() {}

  /** Records that {@code entry} is used now. */
  static void touch(Path entry) throws IOException {
    Path used = entry.resolve(USED);
    if (!Files.exists(used)) {
      Files.writeString(used, "");
    }
    Files.setLastModifiedTime(used, FileTime.from(Instant.now()));
  }

  /**
   * Stores {@code staged} (a complete entry, in the same directory) as {@code entry}, marked as
   * used, unless another process stored it first, then keeps the {@code kept} most recently used
   * entries ({@link #keepNewest}). {@code staged} is gone or left for the caller to delete.
   */
  static void store(Path staged, Path entry, int kept, String... workPrefixes) throws IOException {
    touch(staged);
    storeFirst(staged, entry);
    keepNewest(entry.getParent(), entry, kept, workPrefixes);
  }

  /**
   * Renames {@code staged} to {@code entry}, unless another process stored that entry first; then
   * {@code staged} is left for the caller to delete.
   *
   * @return whether {@code staged} became the entry
   */
  static boolean storeFirst(Path staged, Path entry) throws IOException {
    try {
      Files.move(staged, entry, StandardCopyOption.ATOMIC_MOVE);
      return true;
    } catch (FileSystemException e) {
      // Renaming onto the other process's directory fails with ENOTEMPTY, which the JDK reports as
      // a plain FileSystemException.
      if (!Files.isDirectory(entry)) {
        throw e;
      }
      return false;
    }
  }

  /**
   * Deletes the entries of {@code directory} but the {@code kept} most recently used, {@code
   * current} always among them; directories named with one of {@code workPrefixes} are other
   * processes' work in progress and stay. An entry never marked counts as used long ago.
   */
  static void keepNewest(Path directory, Path current, int kept, String... workPrefixes)
      throws IOException {
    List<Path> others = new ArrayList<>();
    try (Stream<Path> all = Files.list(directory)) {
      all.filter(Files::isDirectory)
          .filter(p -> !p.equals(current) && !isWork(p, workPrefixes))
          .forEach(others::add);
    }
    others.sort(Comparator.comparing(RecentlyUsed::lastUsed).reversed());
    for (Path old : others.subList(Math.min(kept - 1, others.size()), others.size())) {
      FileTrees.delete(old);
    }
  }

  private static boolean isWork(Path directory, String... workPrefixes) {
    String name = directory.getFileName().toString();
    for (String prefix : workPrefixes) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  private static FileTime lastUsed(Path entry) {
    try {
      return Files.getLastModifiedTime(entry.resolve(USED));
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }
}
