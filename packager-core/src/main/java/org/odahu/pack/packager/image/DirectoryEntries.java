package org.odahu.pack.packager.image;

import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.odahu.pack.packager.PackagingException;

/**
 * What a layer of a directory holds: the paths, relative to it, that a walk following symbolic
 * links finds, sorted, minus the excluded ones (with what they hold).
 *
 * <p>Only symbolic links are resolved, each once: whatever a walk that does not follow links
 * reaches is inside the directory by construction. Resolving every entry instead costs its depth in
 * system calls, each on a path as long as the depth, which made a chain of 2,000 nested directories
 * take over a minute.
 */
final class DirectoryEntries {
  private final Path directory;
  private final Path realRoot;
  private final Predicate<Path> excluded;
  private final List<Path> entries = new ArrayList<>();
  // The directories being walked, as the walk that follows links nests them: a link to one of them
  // would repeat it forever.
  private final List<Object> open = new ArrayList<>();

  private DirectoryEntries(Path directory, Path realRoot, Predicate<Path> excluded) {
    this.directory = directory;
    this.realRoot = realRoot;
    this.excluded = excluded;
  }

  /**
   * The sorted entries of {@code directory}.
   *
   * @throws PackagingException for a link to a file outside {@code directory}
   * @throws FileSystemLoopException for a link to a directory that holds it
   */
  static List<Path> list(Path directory, Predicate<Path> excluded) throws IOException {
    Path realRoot = directory.toRealPath();
    DirectoryEntries walk = new DirectoryEntries(directory, realRoot, excluded);
    walk.walk(realRoot, directory.getFileSystem().getPath(""));
    walk.entries.sort(null);
    return walk.entries;
  }

  /** Walks the real directory {@code real}, which the layer holds at {@code relative}. */
  private void walk(Path real, Path relative) throws IOException {
    Files.walkFileTree(
        real,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
            Path entry = relative.resolve(real.relativize(dir));
            if (!entry.toString().isEmpty()) {
              if (excluded.test(entry)) {
                return FileVisitResult.SKIP_SUBTREE;
              }
              entries.add(entry);
            }
            open.add(key(dir, attributes));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            open.removeLast();
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
              throws IOException {
            Path entry = relative.resolve(real.relativize(file));
            if (!excluded.test(entry)) {
              if (attributes.isSymbolicLink()) {
                follow(file, entry);
              } else {
                entries.add(entry);
              }
            }
            return FileVisitResult.CONTINUE;
          }
        });
  }

  /** Adds what the link {@code link}, held at {@code entry}, points to. */
  private void follow(Path link, Path entry) throws IOException {
    Path target = link.toRealPath();
    if (!target.startsWith(realRoot)) {
      throw new PackagingException(
          "Refusing " + directory.resolve(entry) + ": it is a link to a file outside " + directory);
    }
    BasicFileAttributes attributes = Files.readAttributes(target, BasicFileAttributes.class);
    if (!attributes.isDirectory()) {
      entries.add(entry);
    } else if (open.contains(key(target, attributes))) {
      throw new FileSystemLoopException(directory.resolve(entry).toString());
    } else {
      walk(target, entry);
    }
  }

  private static Object key(Path realDirectory, BasicFileAttributes attributes) {
    Object key = attributes.fileKey();
    return key != null ? key : realDirectory;
  }
}
