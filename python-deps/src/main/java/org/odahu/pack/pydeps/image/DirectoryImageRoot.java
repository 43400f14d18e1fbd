package org.odahu.pack.pydeps.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * An image's root file system unpacked in a directory (or the host's own {@code /}, whose Python
 * stands in for a base image in local runs). Links are read, never followed, so nothing outside the
 * directory is reached.
 */
public final class DirectoryImageRoot implements ImageRoot {
  private final Path directory;

  /** The root file system in {@code directory}. */
  public DirectoryImageRoot(Path directory) {
    this.directory = directory.toAbsolutePath().normalize();
  }

  private Path host(String path) {
    Path relative = Path.of(path.startsWith("/") ? path.substring(1) : path);
    Path host = directory.resolve(relative).normalize();
    if (!host.startsWith(directory)) {
      throw new IllegalArgumentException("Path outside the image root: " + path);
    }
    return host;
  }

  @Override
  public Optional<ImageEntry> entry(String path) throws IOException {
    try {
      BasicFileAttributes attributes =
          Files.readAttributes(host(path), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (attributes.isSymbolicLink()) {
        String target = Files.readSymbolicLink(host(path)).toString();
        return Optional.of(new ImageEntry(ImageEntry.Kind.SYMLINK, target, 0));
      }
      ImageEntry.Kind kind =
          attributes.isDirectory()
              ? ImageEntry.Kind.DIRECTORY
              : attributes.isRegularFile() ? ImageEntry.Kind.FILE : ImageEntry.Kind.OTHER;
      return Optional.of(new ImageEntry(kind, "", attributes.size()));
    } catch (NoSuchFileException | java.nio.file.NotDirectoryException absent) {
      return Optional.empty();
    }
  }

  @Override
  public List<String> list(String path) throws IOException {
    try (Stream<Path> children = Files.list(host(path))) {
      return children.map(child -> child.getFileName().toString()).sorted().toList();
    }
  }

  @Override
  public byte[] read(String path, int maxBytes) throws IOException {
    try (InputStream in = Files.newInputStream(host(path), LinkOption.NOFOLLOW_LINKS)) {
      return in.readNBytes(maxBytes);
    }
  }

  @Override
  public String toString() {
    return directory.toString();
  }
}
