package org.odahu.pack.packager.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.odahu.pack.artifact.files.DiskSpace;
import org.odahu.pack.artifact.files.ExitCleanup;
import org.odahu.pack.artifact.files.FileTrees;
import org.odahu.pack.packager.PackagingException;

/**
 * Root file systems of built images, for running them: the layers every image of a base shares
 * (base, Java runtime, runtime jars) are unpacked once and kept by their digests; each image gets a
 * tree of hard links to them with its own top layers (dependencies, model) unpacked over it. A link
 * is replaced, never written through, when a top layer changes a file, and images run with a
 * read-only root, so the kept trees stay as unpacked.
 */
final class VerificationRoots {
  /** Unpacked bottoms kept; older ones are deleted when a new one is stored. */
  private static final int KEPT = 2;

  private static final String ROOTFS = "rootfs";
  private static final String STAGING = "staging-";

  private final Path directory;
  private final DiskSpace space;
  private final PackagingListener listener;
  private final ExitCleanup cleanup;

  /**
   * @param directory where unpacked bottoms are kept ({@code <cache>/verify})
   * @param listener progress
   * @param cleanup removes a bottom being unpacked however the program ends
   */
  VerificationRoots(Path directory, PackagingListener listener, ExitCleanup cleanup) {
    this.directory = directory;
    this.space = space(directory);
    this.listener = listener;
    this.cleanup = cleanup;
  }

  /** {@code directory} ({@code <cache>/verify}), named when its file system fills up. */
  static DiskSpace space(Path directory) {
    return new DiskSpace(directory, "the verification cache");
  }

  /**
   * Writes {@code image}'s root file system into {@code target} (a new directory on the same file
   * system as the cache): its first {@code shared} layers from the cache, the others unpacked.
   */
  void build(ImageTarball image, List<String> diffIds, int shared, Path target) {
    int bottom = Math.max(0, Math.min(shared, image.layers().size()));
    if (bottom == 0 || diffIds.size() != image.layers().size()) {
      image.unpackLayers(target, space, 0, image.layers().size());
      return;
    }
    try {
      Path kept = bottom(image, diffIds.subList(0, bottom));
      linkTree(kept, target);
    } catch (ExitCleanup.StoppingException e) {
      throw new PackagingException("Cannot unpack the image to run it: " + e.getMessage(), e);
    } catch (IOException e) {
      // A bottom deleted by another packaging in the meantime: unpack this image on its own.
      listener.detail("Unpacking the whole image: " + e.getMessage());
      try {
        FileTrees.delete(target);
      } catch (IOException cleanup) {
        throw new PackagingException("Cannot clear " + target + ": " + cleanup.getMessage(), e);
      }
      image.unpackLayers(target, space, 0, image.layers().size());
      return;
    }
    image.unpackLayers(target, space, bottom, image.layers().size());
  }

  /** The kept root of these layers, unpacked first if needed. */
  private Path bottom(ImageTarball image, List<String> diffIds) throws IOException {
    String key =
        org.odahu.pack.pydeps.index.PackageFinder.sha256(
                String.join(",", diffIds).getBytes(java.nio.charset.StandardCharsets.UTF_8))
            .substring(0, 32);
    Path entry = directory.resolve(key);
    if (!Files.isDirectory(entry.resolve(ROOTFS))) {
      listener.step(
          "Unpacking the image's shared layers to run it (once for this base, Java runtime and"
              + " jars; kept in "
              + directory
              + ")");
      Files.createDirectories(directory);
      // Registered for the exit: a packaging stopped while it unpacks leaves no staging behind,
      // which no later store would evict.
      try (ExitCleanup.TemporaryDirectory staging =
          cleanup.newTemporaryDirectory(directory, STAGING)) {
        staging.write(
            () -> {
              image.unpackLayers(staging.path().resolve(ROOTFS), space, 0, diffIds.size());
              // Verification runs work in the same directory: their work directories are no
              // entries.
              RecentlyUsed.store(staging.path(), entry, KEPT, STAGING, ImageVerifier.RUN_PREFIX);
            });
      }
    }
    RecentlyUsed.touch(entry);
    return entry.resolve(ROOTFS);
  }

  /** {@code target} as a copy of {@code source} whose files are hard links to the source's. */
  private static void linkTree(Path source, Path target) throws IOException {
    try (Stream<Path> all = Files.walk(source)) {
      for (Path path : (Iterable<Path>) all::iterator) {
        Path copy = target.resolve(source.relativize(path).toString());
        if (Files.isSymbolicLink(path)) {
          Files.createSymbolicLink(copy, Files.readSymbolicLink(path));
        } else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectories(copy);
          Files.setPosixFilePermissions(copy, Files.getPosixFilePermissions(path));
        } else {
          Files.createLink(copy, path);
        }
      }
    }
  }
}
