package org.odahu.pack.packager.image;

import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.odahu.pack.packager.PackagingException;

/**
 * Layers for Jib: files keep their executable bit (Jib would make everything 644), get Jib's fixed
 * modification time, and are added in sorted order, so a layer's digest depends on content only.
 * Jib writes no links: a link in a layer's directory is copied as what it points to.
 */
public final class Layers {
  private static final FilePermissions EXECUTABLE = FilePermissions.fromOctalString("755");
  private static final FilePermissions REGULAR = FilePermissions.fromOctalString("644");

  private Layers() {}

  /**
   * A layer holding {@code directory}'s content at {@code target}, minus names in {@code excluded}.
   * A symbolic link becomes what it points to (Jib has no links): a file's content, a directory's
   * files; a link whose target is outside {@code directory}, or that loops back to a directory
   * holding it, is refused.
   */
  public static FileEntriesLayer directory(
      String name, Path directory, String target, Set<String> excluded) {
    return directory(
        name, directory, target, relative -> excluded.contains(relative.getName(0).toString()));
  }

  /**
   * As {@link #directory(String, Path, String, Set)}, minus the files and directories (with what
   * they hold) whose path relative to {@code directory} {@code excluded} accepts.
   */
  public static FileEntriesLayer directory(
      String name, Path directory, String target, Predicate<Path> excluded) {
    FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName(name);
    AbsoluteUnixPath root = AbsoluteUnixPath.get(target);
    try {
      for (Path relative : DirectoryEntries.list(directory, excluded)) {
        Path file = directory.resolve(relative);
        boolean executable = Files.isDirectory(file) || Files.isExecutable(file);
        layer.addEntry(file, root.resolve(relative), executable ? EXECUTABLE : REGULAR);
      }
    } catch (IOException e) {
      throw unreadable(directory, e);
    }
    return layer.build();
  }

  private static PackagingException unreadable(Path directory, IOException e) {
    if (e instanceof FileSystemLoopException loop) {
      return new PackagingException(
          "Refusing "
              + loop.getFile()
              + ": a link to a directory that holds it, which an image cannot hold (Jib copies"
              + " what links point to)",
          e);
    }
    return new PackagingException("Cannot read " + directory + ": " + e.getMessage(), e);
  }

  /** A layer holding {@code files} (not directories) directly under {@code target}. */
  public static FileEntriesLayer files(String name, List<Path> files, String target) {
    FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName(name);
    AbsoluteUnixPath root = AbsoluteUnixPath.get(target);
    files.stream()
        .sorted()
        .forEach(
            file -> layer.addEntry(file, root.resolve(file.getFileName().toString()), REGULAR));
    return layer.build();
  }
}
