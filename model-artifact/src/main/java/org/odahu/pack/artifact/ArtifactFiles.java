package org.odahu.pack.artifact;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The rules an archive's entries follow, applied to a directory artifact's files: every symbolic
 * link resolves (through any chain of links) to a path inside the artifact, every name is UTF-8,
 * and there are no devices, FIFOs or sockets. Otherwise a link could bring a host file into an
 * image or to the model, and a FIFO would block whoever reads it.
 */
final class ArtifactFiles {
  private ArtifactFiles() {}

  /** Walks {@code directory} without following links and refuses the first unsafe file. */
  static void verify(Path directory) {
    try {
      Path realRoot = directory.toRealPath();
      Files.walkFileTree(
          directory,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes)
                throws IOException {
              if (!dir.equals(directory)) {
                checkName(directory, dir, attributes);
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
                throws IOException {
              checkName(directory, file, attributes);
              if (attributes.isSymbolicLink()) {
                checkLink(directory, realRoot, file);
              } else if (attributes.isOther()) {
                throw new UnsafeArtifactFileException(
                    relative(directory, file), "devices, FIFOs and sockets are not allowed");
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new ArtifactException(
          "Cannot read model artifact " + directory + ": " + e.getMessage(), e);
    }
  }

  private static void checkName(Path directory, Path file, BasicFileAttributes attributes)
      throws IOException {
    if (FileNames.notUtf8(file, attributes)) {
      throw new UnsafeArtifactFileException(
          FileNames.escaped(directory.relativize(file)),
          "its name is not UTF-8, and an image's file names are: it would be copied under another"
              + " name (with U+FFFD), which the model would not find; rename it");
    }
  }

  private static void checkLink(Path directory, Path realRoot, Path link) throws IOException {
    String target = Files.readSymbolicLink(link).toString();
    Path real;
    try {
      real = link.toRealPath();
    } catch (IOException e) {
      throw new UnsafeArtifactFileException(
          relative(directory, link),
          "link to '" + target + "' does not resolve inside the artifact");
    }
    if (!real.startsWith(realRoot)) {
      throw new UnsafeArtifactFileException(
          relative(directory, link), "link to '" + target + "' points outside the artifact");
    }
  }

  private static String relative(Path directory, Path file) {
    return directory.relativize(file).toString();
  }
}
