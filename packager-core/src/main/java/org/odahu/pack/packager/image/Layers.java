package org.odahu.pack.packager.image;

import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.odahu.pack.packager.PackagingException;

/**
 * Layers for Jib: files keep their executable bit (Jib would make everything 644), get Jib's fixed
 * modification time, and are added in sorted order, so a layer's digest depends on content only.
 */
public final class Layers {
  private static final FilePermissions EXECUTABLE = FilePermissions.fromOctalString("755");
  private static final FilePermissions REGULAR = FilePermissions.fromOctalString("644");

  private Layers() {}

  /**
   * A layer holding {@code directory}'s content at {@code target}, minus names in {@code excluded}.
   */
  public static FileEntriesLayer directory(
      String name, Path directory, String target, Set<String> excluded) {
    FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName(name);
    AbsoluteUnixPath root = AbsoluteUnixPath.get(target);
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path file : files.sorted().toList()) {
        Path relative = directory.relativize(file);
        if (relative.toString().isEmpty() || excluded.contains(relative.getName(0).toString())) {
          continue;
        }
        boolean executable = Files.isDirectory(file) || Files.isExecutable(file);
        layer.addEntry(file, root.resolve(relative), executable ? EXECUTABLE : REGULAR);
      }
    } catch (IOException e) {
      throw new PackagingException("Cannot read " + directory + ": " + e.getMessage(), e);
    }
    return layer.build();
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
