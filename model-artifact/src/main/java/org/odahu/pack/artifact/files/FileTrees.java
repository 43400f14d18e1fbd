package org.odahu.pack.artifact.files;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.List;

/** The one way odahu-pack deletes a file tree. */
public final class FileTrees {
  /** Passes over a tree that something else is still writing into while it is deleted. */
  private static final int ATTEMPTS = 3;

  private FileTrees() {}

  /**
   * Deletes {@code path} and everything below it, never following a symbolic link (a link is
   * deleted, not what it points to). Nothing to delete is not an error; files that vanish meanwhile
   * are ignored, and a directory that another thread fills while it is deleted is retried.
   */
  public static void delete(Path path) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        deleteOnce(path);
        return;
      } catch (DirectoryNotEmptyException e) {
        if (attempt == ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  /** Deletes what is below {@code directory}, keeping the directory itself. */
  public static void clear(Path directory) throws IOException {
    if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (var children = Files.list(directory)) {
      for (Path child : children.toList()) {
        delete(child);
      }
    }
  }

  /**
   * Deletes the entries of {@code directory} (files or trees) whose names start with one of {@code
   * prefixes}: the work a process stopped outright left behind, swept by the next process that
   * holds the lock such work is done under, so that none of it is a live process's. A missing
   * directory has nothing to delete.
   */
  public static void deleteStartingWith(Path directory, String... prefixes) throws IOException {
    if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    List<Path> stale;
    try (var entries = Files.list(directory)) {
      stale =
          entries
              .filter(
                  entry -> {
                    String name = entry.getFileName().toString();
                    return Arrays.stream(prefixes).anyMatch(name::startsWith);
                  })
              .toList();
    }
    for (Path entry : stale) {
      delete(entry);
    }
  }

  private static void deleteOnce(Path path) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    // walkFileTree does not follow links unless asked: a link to a directory is a file here.
    Files.walkFileTree(
        path,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
              throws IOException {
            Files.deleteIfExists(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            if (e instanceof NoSuchFileException) {
              return FileVisitResult.CONTINUE;
            }
            throw e;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null && !(e instanceof NoSuchFileException)) {
              throw e;
            }
            Files.deleteIfExists(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
