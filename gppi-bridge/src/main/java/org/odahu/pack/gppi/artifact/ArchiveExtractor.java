package org.odahu.pack.gppi.artifact;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Extracts tar, gzip-tar and ZIP archives into a directory, refusing anything that could escape it
 * or exhaust the disk: absolute or {@code ../} paths, links pointing outside, device files, FIFOs,
 * and more entries, bytes or compression than the {@link ExtractionLimits} allow.
 *
 * <p>Links are created only after every regular file has been written, and nothing is ever created
 * below a symbolic link, so no entry can be written through a link, however links are chained.
 */
final class ArchiveExtractor {
  private static final int BUFFER_SIZE = 64 * 1024;

  private final ExtractionLimits limits;
  private final Path archive;
  private final Path root;
  private final long archiveSize;
  private final List<Link> links = new ArrayList<>();
  private int entries;
  private long totalBytes;

  private record Link(String entry, Path path, String target, boolean symbolic) {}

  private ArchiveExtractor(ExtractionLimits limits, Path archive, Path root) throws IOException {
    this.limits = limits;
    this.archive = archive;
    this.root = root.toAbsolutePath().normalize();
    this.archiveSize = Math.max(1, Files.size(archive));
  }

  /**
   * Extracts {@code archive}, stored as {@code format}, into the existing directory {@code root}.
   */
  static void extract(Path archive, ArtifactFormat format, Path root, ExtractionLimits limits) {
    try {
      ArchiveExtractor extractor = new ArchiveExtractor(limits, archive, root);
      switch (format) {
        case GZIP_TAR -> extractor.extractTar(true);
        case TAR -> extractor.extractTar(false);
        case ZIP -> extractor.extractZip();
        case DIRECTORY -> throw new IllegalArgumentException("a directory is not an archive");
      }
      extractor.createLinks();
    } catch (IOException e) {
      throw new ArtifactException(
          "Cannot extract model artifact " + archive + ": " + e.getMessage(), e);
    }
  }

  private void extractTar(boolean gzip) throws IOException {
    InputStream raw = new BufferedInputStream(Files.newInputStream(archive), BUFFER_SIZE);
    try (InputStream in =
            gzip
                ? GzipCompressorInputStream.builder()
                    .setInputStream(raw)
                    .setDecompressConcatenated(true)
                    .get()
                : raw;
        TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        String name = entry.getName();
        countEntry(name);
        Path path = target(name);
        if (entry.isSymbolicLink() || entry.isLink()) {
          addLink(name, path, entry.getLinkName(), entry.isSymbolicLink());
        } else if (entry.isCharacterDevice() || entry.isBlockDevice()) {
          throw new UnsafeArchiveEntryException(name, "device files are not allowed");
        } else if (entry.isFIFO()) {
          throw new UnsafeArchiveEntryException(name, "FIFOs are not allowed");
        } else if (entry.isDirectory()) {
          createDirectories(name, path);
        } else if (entry.isFile()) {
          writeFile(name, path, tar, (entry.getMode() & 0111) != 0);
        } else {
          throw new UnsafeArchiveEntryException(name, "unsupported tar entry type");
        }
      }
    }
  }

  private void extractZip() throws IOException {
    try (ZipFile zip = ZipFile.builder().setPath(archive).get()) {
      Enumeration<ZipArchiveEntry> all = zip.getEntriesInPhysicalOrder();
      while (all.hasMoreElements()) {
        ZipArchiveEntry entry = all.nextElement();
        String name = entry.getName();
        countEntry(name);
        Path path = target(name);
        if (entry.isUnixSymlink()) {
          addLink(name, path, zip.getUnixSymlink(entry), true);
        } else if (entry.isDirectory()) {
          createDirectories(name, path);
        } else {
          try (InputStream in = zip.getInputStream(entry)) {
            writeFile(name, path, in, (entry.getUnixMode() & 0111) != 0);
          }
        }
      }
    }
  }

  /** Where entry {@code name} goes; refuses names that leave the root. */
  private Path target(String name) {
    if (name.startsWith("/") || name.startsWith("\\")) {
      throw new UnsafeArchiveEntryException(name, "absolute paths are not allowed");
    }
    try {
      Path path = root.resolve(name).normalize();
      if (!path.startsWith(root)) {
        throw new UnsafeArchiveEntryException(name, "the path escapes the artifact root");
      }
      return path;
    } catch (InvalidPathException e) {
      throw new UnsafeArchiveEntryException(name, "invalid path: " + e.getReason());
    }
  }

  private void countEntry(String name) {
    entries++;
    if (entries > limits.maxEntries()) {
      throw new ArchiveLimitExceededException(
          "Model artifact "
              + archive
              + " has more than "
              + limits.maxEntries()
              + " entries (at '"
              + name
              + "')");
    }
  }

  private void countBytes(String name, long count) {
    totalBytes += count;
    if (totalBytes > limits.maxTotalBytes()) {
      throw new ArchiveLimitExceededException(
          "Model artifact "
              + archive
              + " expands to more than "
              + limits.maxTotalBytes()
              + " bytes (at '"
              + name
              + "')");
    }
    if (totalBytes > limits.ratioCheckThresholdBytes()
        && totalBytes / archiveSize > limits.maxCompressionRatio()) {
      throw new ArchiveLimitExceededException(
          "Model artifact "
              + archive
              + " looks like a compression bomb: it expands to more than "
              + limits.maxCompressionRatio()
              + " times its size (at '"
              + name
              + "')");
    }
  }

  private void writeFile(String name, Path path, InputStream in, boolean executable)
      throws IOException {
    if (path.equals(root)) {
      throw new UnsafeArchiveEntryException(name, "a file cannot replace the artifact root");
    }
    createDirectories(name, path.getParent());
    byte[] buffer = new byte[BUFFER_SIZE];
    try (OutputStream out =
        Files.newOutputStream(
            path,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS)) {
      int count;
      while ((count = in.read(buffer)) > 0) {
        countBytes(name, count);
        out.write(buffer, 0, count);
      }
    }
    if (executable) {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  /**
   * Creates {@code dir} (inside the root) and its parents, refusing to go through a symbolic link:
   * the only way a lexically safe path can lead outside the root.
   */
  private void createDirectories(String name, Path dir) throws IOException {
    Path current = root;
    for (Path part : root.relativize(dir)) {
      current = current.resolve(part);
      if (Files.isSymbolicLink(current)) {
        throw new UnsafeArchiveEntryException(
            name, "'" + root.relativize(current) + "' on its path is a symbolic link");
      }
    }
    Files.createDirectories(dir);
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
        countBytes(link.entry(), Files.size(source));
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
