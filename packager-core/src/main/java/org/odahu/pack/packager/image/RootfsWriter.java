package org.odahu.pack.packager.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.odahu.pack.artifact.archive.ArchiveEntry;
import org.odahu.pack.artifact.archive.ArchiveReader;
import org.odahu.pack.artifact.archive.UnsafeArchiveEntryException;
import org.odahu.pack.artifact.files.FileTrees;

/**
 * Writes image layers into a root file system, the way a container runtime sees them: the image's
 * symbolic links may point anywhere (an absolute target means the image's root), so every path is
 * resolved inside the root as if it were {@code /}, and nothing is ever written outside it. On top
 * of {@link ArchiveReader}'s checks: whiteouts delete what lower layers wrote, a hard link must
 * name a regular file of the image, devices and FIFOs are skipped (a runtime provides /dev), other
 * entry types and link loops are refused. Files keep the layer's modification times, as runtimes
 * keep them: the JVM uses an image's class-data archive only with jars of the recorded times.
 */
final class RootfsWriter {
  private static final int MAX_LINK_HOPS = 40;

  private final Path root;
  private final List<ArchiveEntry> hardLinks = new ArrayList<>();

  // Directories already written, by entry name: a layer lists a directory before what it holds, so
  // an entry looks up its parent instead of checking each directory on its path for a link, which
  // made a chain of 2,000 nested directories take a minute. Forgotten whenever a link is created or
  // a directory or link deleted, which may change where a name leads.
  private final Map<String, Path> directories = new HashMap<>();

  /**
   * @param root the real path of the root file system
   */
  RootfsWriter(Path root) {
    this.root = root;
  }

  /** One entry of the current layer. */
  void entry(ArchiveEntry entry, InputStream content) throws IOException {
    Path path = resolve(entry.name(), entry.path());
    if (path.equals(root)) {
      if (entry.type() == ArchiveEntry.Type.DIRECTORY) {
        return; // "./": the root, which exists
      }
      // A link or file in its place would have every later entry written wherever it points.
      throw new UnsafeArchiveEntryException(entry.name(), "it names the root itself");
    }
    String file = path.getFileName().toString();
    if (file.equals(".wh..wh..opq")) {
      directories.clear();
      FileTrees.clear(path.getParent());
      return;
    }
    if (file.startsWith(".wh.")) {
      String removed = file.substring(4);
      if (removed.isEmpty() || removed.equals(".") || removed.equals("..")) {
        throw new UnsafeArchiveEntryException(
            entry.name(), "a whiteout of '" + removed + "' would delete outside its directory");
      }
      delete(path.resolveSibling(removed));
      return;
    }
    switch (entry.type()) {
      case DIRECTORY -> {
        if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
          delete(path);
          Files.createDirectories(path);
        }
        chmod(path, entry.mode());
        directories.put(entry.path(), path);
      }
      case SYMLINK -> {
        replace(path);
        directories.clear();
        Files.createSymbolicLink(path, path.getFileSystem().getPath(entry.linkTarget()));
      }
      case HARDLINK -> hardLinks.add(entry);
      case FILE -> {
        replace(path);
        Files.copy(content, path, StandardCopyOption.REPLACE_EXISTING);
        chmod(path, entry.mode());
        if (entry.modified() != null) {
          Files.setLastModifiedTime(path, entry.modified());
        }
      }
      case DEVICE, FIFO -> {
        // Never created: a runtime provides /dev, and an unprivileged user could not anyway.
      }
      case OTHER -> throw new UnsafeArchiveEntryException(entry.name(), "unsupported entry type");
    }
  }

  /** Creates the layer's hard links, once every file of the layer exists. */
  void finishLayer() throws IOException {
    for (ArchiveEntry link : hardLinks) {
      Path path = resolve(link.name(), link.path());
      Path target = resolve(link.name(), ArchiveReader.normalise(link.linkTarget()));
      if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
        throw new UnsafeArchiveEntryException(
            link.name(), "hard link to '" + link.linkTarget() + "', which is not a regular file");
      }
      replace(path);
      Files.createLink(path, target);
    }
    hardLinks.clear();
  }

  private Path resolve(String name, String relative) throws IOException {
    int slash = relative.lastIndexOf('/');
    Path parent = slash < 0 ? root : directories.get(relative.substring(0, slash));
    if (parent != null) {
      return parent.resolve(relative.substring(slash + 1));
    }
    Path path = inside(root, relative);
    if (path == null) {
      throw new UnsafeArchiveEntryException(name, "a loop of links on its path");
    }
    return path;
  }

  /** Makes room for a new file or link at {@code path}, its parents created. */
  private void replace(Path path) throws IOException {
    delete(path);
    Files.createDirectories(path.getParent());
  }

  private void delete(Path path) throws IOException {
    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(path)) {
      directories.clear();
    }
    FileTrees.delete(path);
  }

  /**
   * Where {@code name} lands inside {@code root}, resolving links along the way as if {@code root}
   * were {@code /}: an absolute link target is taken from the root, {@code ..} stops at the root;
   * {@code null} for a loop of links. The last component is not resolved: an entry replaces a link.
   */
  static Path inside(Path root, String name) throws IOException {
    return inside(root, name, new int[1]);
  }

  /** {@link #inside}, with the links followed so far on the whole path, nested ones included. */
  private static Path inside(Path root, String name, int[] hops) throws IOException {
    Path current = root;
    String[] parts = name.split("/", -1);
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        current = current.equals(root) ? root : current.getParent();
        continue;
      }
      Path next = current.resolve(part);
      boolean last = i == parts.length - 1;
      if (!last && Files.isSymbolicLink(next)) {
        while (Files.isSymbolicLink(next)) {
          if (++hops[0] > MAX_LINK_HOPS) {
            return null;
          }
          String target = Files.readSymbolicLink(next).toString();
          Path base = target.startsWith("/") ? root : next.getParent();
          next = inside(root, root.relativize(base) + "/" + target, hops);
          if (next == null) {
            return null;
          }
        }
      }
      current = next;
    }
    return current.normalize().startsWith(root) ? current : null;
  }

  private static void chmod(Path path, int mode) throws IOException {
    Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE
    for (int i = 0; i < 9; i++) {
      if ((mode & (1 << (8 - i))) != 0) {
        permissions.add(bits[i]);
      }
    }
    permissions.add(PosixFilePermission.OWNER_WRITE);
    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      permissions.add(PosixFilePermission.OWNER_EXECUTE);
      permissions.add(PosixFilePermission.OWNER_READ);
    }
    Files.setPosixFilePermissions(path, permissions);
  }
}
