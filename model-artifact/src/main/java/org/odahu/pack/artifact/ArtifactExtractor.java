package org.odahu.pack.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.odahu.pack.artifact.archive.ArchiveEntry;
import org.odahu.pack.artifact.archive.ArchiveReader;
import org.odahu.pack.artifact.archive.ExtractionBudget;
import org.odahu.pack.artifact.archive.ExtractionLimits;
import org.odahu.pack.artifact.archive.UnsafeArchiveEntryException;
import org.odahu.pack.artifact.files.DiskSpace;
import org.odahu.pack.artifact.files.ExitCleanup;

/**
 * Extracts an artifact archive into a directory with the rules of a self-contained artifact, on top
 * of {@link ArchiveReader}'s: links may only point inside the root (relative targets; a tar hard
 * link becomes a copy of a regular file), devices and FIFOs are refused, and an entry may not
 * replace the root or a directory with a file or a link (nor the other way round).
 *
 * <p>Links are created only after every regular file has been written, and nothing is ever created
 * below a symbolic link, so no entry can be written through a link, however links are chained.
 */
final class ArtifactExtractor {
  private final Path root;
  private final ExtractionBudget budget;
  private final List<Link> links = new ArrayList<>();
  private final Set<Path> directories = new HashSet<>();

  private record Link(String entry, Path path, String target, boolean symbolic) {}

  private ArtifactExtractor(ExitCleanup.TemporaryDirectory directory, ExtractionBudget budget) {
    this.root = directory.path().toAbsolutePath().normalize();
    this.budget = budget;
  }

  /**
   * Extracts {@code archive}, stored as {@code format}, into {@code directory}; each entry is
   * written through {@link ExitCleanup.TemporaryDirectory#write}, so that the directory's deletion
   * at exit stops the extraction.
   */
  static void extract(
      Path archive,
      ArtifactFormat format,
      ExitCleanup.TemporaryDirectory directory,
      ExtractionLimits limits) {
    if (format == ArtifactFormat.DIRECTORY) {
      throw new IllegalArgumentException("a directory is not an archive");
    }
    try {
      ExtractionBudget budget =
          new ExtractionBudget("Model artifact " + archive, limits, Files.size(archive));
      ArtifactExtractor extractor = new ArtifactExtractor(directory, budget);
      new ArchiveReader(budget)
          .read(
              archive,
              format.archive(),
              (entry, content) -> directory.write(() -> extractor.entry(entry, content)));
      directory.write(extractor::createLinks);
    } catch (IOException e) {
      // Extracted into the temporary directory (ModelArtifact's): a full one is named, not the zip.
      throw new ArtifactException(
          "Cannot extract model artifact " + archive + ": " + DiskSpace.temporary().reason(e), e);
    }
  }

  private void entry(ArchiveEntry entry, InputStream content) throws IOException {
    String name = entry.name();
    Path path = root.resolve(entry.path());
    switch (entry.type()) {
      case SYMLINK -> addLink(name, path, entry.linkTarget(), true);
      case HARDLINK -> addLink(name, path, entry.linkTarget(), false);
      case DEVICE -> throw new UnsafeArchiveEntryException(name, "device files are not allowed");
      case FIFO -> throw new UnsafeArchiveEntryException(name, "FIFOs are not allowed");
      case DIRECTORY -> {
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)
            && !Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
          throw new UnsafeArchiveEntryException(
              name, "a directory cannot replace the file of an earlier entry");
        }
        createDirectories(name, path);
      }
      case FILE -> {
        writeFile(name, path, content, entry.executable());
        keepTime(path, entry);
      }
      case OTHER -> throw new UnsafeArchiveEntryException(name, "unsupported entry type");
    }
  }

  /**
   * The entry's time, as tar and unzip keep it: the model's files carry the times they had when
   * archived. A time the file system refuses (out of its range) is left.
   */
  private static void keepTime(Path path, ArchiveEntry entry) {
    if (entry.modified() != null) {
      try {
        Files.setLastModifiedTime(path, entry.modified());
      } catch (IOException | RuntimeException e) {
        // the extraction's own time stays
      }
    }
  }

  private void writeFile(String name, Path path, InputStream in, boolean executable)
      throws IOException {
    if (path.equals(root)) {
      throw new UnsafeArchiveEntryException(name, "a file cannot replace the artifact root");
    }
    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      throw new UnsafeArchiveEntryException(
          name, "a file cannot replace the directory of an earlier entry");
    }
    createDirectories(name, path.getParent());
    try (OutputStream out =
        Files.newOutputStream(
            path,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS)) {
      in.transferTo(out);
    }
    if (executable) {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  /**
   * Creates {@code dir} (inside the root) and its parents, refusing to go through a symbolic link:
   * the only way a lexically safe path can lead outside the root. Directories checked once are
   * remembered (no entry may replace one), so that each entry checks only what is new on its path:
   * checking every directory on it made a chain of 2,000 nested directories take minutes.
   */
  private void createDirectories(String name, Path dir) throws IOException {
    List<Path> unchecked = new ArrayList<>();
    for (Path current = dir;
        current != null && !current.equals(root) && !directories.contains(current); ) {
      unchecked.add(current);
      current = current.getParent();
    }
    for (Path current : unchecked.reversed()) {
      if (Files.isSymbolicLink(current)) {
        throw new UnsafeArchiveEntryException(
            name, "'" + root.relativize(current) + "' on its path is a symbolic link");
      }
      if (Files.exists(current, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(current)) {
        throw new UnsafeArchiveEntryException(
            name, "'" + root.relativize(current) + "' on its path is a file");
      }
    }
    Files.createDirectories(dir);
    directories.addAll(unchecked);
  }

  private void addLink(String name, Path path, String target, boolean symbolic) {
    if (path.equals(root)) {
      throw new UnsafeArchiveEntryException(name, "a link cannot replace the artifact root");
    }
    if (target == null || target.isEmpty()) {
      throw new UnsafeArchiveEntryException(name, "link without a target");
    }
    if (target.startsWith("/")) {
      throw new UnsafeArchiveEntryException(
          name, "link to the absolute path '" + target + "' points outside the artifact");
    }
    // A symbolic link is relative to its own directory; a tar hard link names another entry.
    Path resolved =
        symbolic ? path.getParent().resolve(target).normalize() : root.resolve(target).normalize();
    if (!resolved.startsWith(root) || resolved.equals(path)) {
      throw new UnsafeArchiveEntryException(
          name, "link to '" + target + "' points outside the artifact");
    }
    links.add(new Link(name, path, target, symbolic));
  }

  /**
   * Hard links first (copies, while no symbolic link exists yet), then symbolic links, each checked
   * by its real path as soon as it resolves and again once all exist: a lexical check alone can be
   * fooled by a chain of links.
   */
  private void createLinks() throws IOException {
    for (Link link : links) {
      if (!link.symbolic()) {
        Path source = root.resolve(link.target()).normalize();
        if (!Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
          throw new UnsafeArchiveEntryException(
              link.entry(), "hard link to '" + link.target() + "', which is not a regular file");
        }
        refuseReplacingADirectory(link);
        budget.countBytes(link.entry(), Files.size(source));
        createDirectories(link.entry(), link.path().getParent());
        Files.copy(
            source,
            link.path(),
            StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.COPY_ATTRIBUTES,
            LinkOption.NOFOLLOW_LINKS);
      }
    }
    Path realRoot = root.toRealPath();
    for (Link link : links) {
      if (link.symbolic()) {
        createDirectories(link.entry(), link.path().getParent());
        refuseReplacingADirectory(link);
        Files.deleteIfExists(link.path());
        Files.createSymbolicLink(link.path(), link.path().getFileSystem().getPath(link.target()));
        checkRealTarget(link, realRoot, false);
      }
    }
    for (Link link : links) {
      if (link.symbolic()) {
        checkRealTarget(link, realRoot, true);
      }
    }
  }

  private static void refuseReplacingADirectory(Link link) {
    if (Files.isDirectory(link.path(), LinkOption.NOFOLLOW_LINKS)) {
      throw new UnsafeArchiveEntryException(
          link.entry(), "a link cannot replace the directory of an earlier entry");
    }
  }

  /**
   * Refuses a symbolic link whose real target is outside the root; one that does not resolve (yet:
   * it may point at a link listed later) is refused only if {@code mustResolve}.
   */
  private static void checkRealTarget(Link link, Path realRoot, boolean mustResolve) {
    Path real;
    try {
      real = link.path().toRealPath();
    } catch (IOException e) {
      if (!mustResolve) {
        return;
      }
      throw new UnsafeArchiveEntryException(
          link.entry(), "link to '" + link.target() + "' does not resolve inside the artifact");
    }
    if (!real.startsWith(realRoot)) {
      throw new UnsafeArchiveEntryException(
          link.entry(), "link to '" + link.target() + "' points outside the artifact");
    }
  }
}
