package org.odahu.pack.packager.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.odahu.pack.artifact.files.DirectoryProbe;
import org.odahu.pack.artifact.files.FileErrors;
import org.odahu.pack.packager.PackagingException;

/**
 * Checks of where a packaging writes, made before anything is read or built: a tarball path or a
 * result directory that cannot be written is refused at once with a plain sentence, not after the
 * build and the self-check with a file system exception's bare path.
 */
public final class OutputPaths {
  /** The name of a directory beside a tarball that it is built in, before it is renamed. */
  static final String BUILDING_PREFIX = ".odahu-pack-building-";

  private OutputPaths() {}

  /**
   * Refuses a tarball path that cannot be written: empty, an existing directory, or in a directory
   * that is missing, is a file or is not writable. An existing file is replaced.
   *
   * @param tarball the image tarball to write
   * @throws PackagingException saying what is wrong with it
   */
  public static void checkTarball(Path tarball) {
    if (tarball.toString().isEmpty()) {
      throw new PackagingException("The image tarball's path is empty: name the file to write");
    }
    if (Files.isDirectory(tarball)) {
      throw new PackagingException(
          "The image tarball "
              + tarball
              + " is a directory: name a file to write, e.g. "
              + tarball.resolve("image.tar"));
    }
    Path file = writtenFile(tarball);
    if (isSpecial(file)) {
      return; // written into as it is (/dev/null, a FIFO): nothing is created beside it
    }
    Path directory = file.getParent();
    if (directory == null) {
      throw new PackagingException(
          "The image tarball " + tarball + " names no file: name the file to write");
    }
    if (!Files.isDirectory(directory)) {
      throw new PackagingException(
          "Cannot write the image tarball "
              + tarball
              + ": "
              + notADirectory(directory)
              + ". Name a file in an existing directory");
    }
    String refusal = refusal(directory);
    if (refusal != null) {
      throw new PackagingException(
          "Cannot write the image tarball " + tarball + ": the directory " + directory + refusal);
    }
  }

  /**
   * The file that writing {@code tarball} writes: for a symbolic link, the file it leads to,
   * written through as {@code cp} and {@code tar} do rather than the link replaced by a file.
   */
  public static Path writtenFile(Path tarball) {
    Path path = tarball.toAbsolutePath().normalize();
    for (int hops = 0; hops < 40 && Files.isSymbolicLink(path); hops++) {
      try {
        path = path.getParent().resolve(Files.readSymbolicLink(path)).normalize();
      } catch (IOException e) {
        break; // unreadable: the checks and the write report it
      }
    }
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS) && Files.exists(tarball)) {
      // A link the kernel resolves but whose target names no file: /dev/stdout or /dev/fd/3 onto a
      // pipe (pipe:[123]), written into as it is.
      return tarball.toAbsolutePath().normalize();
    }
    return path;
  }

  /**
   * Whether {@code file} exists and is neither a regular file nor a directory: a device such as
   * {@code /dev/null} or a FIFO, which is written into, never replaced by a renamed file.
   */
  public static boolean isSpecial(Path file) {
    return Files.exists(file) && !Files.isRegularFile(file) && !Files.isDirectory(file);
  }

  /**
   * The directory for {@code result.json}, created with its parents when missing; refused when it
   * (or a parent) is a file, or when it cannot be written.
   *
   * @throws PackagingException saying what is wrong with it
   */
  public static Path resultDirectory(Path directory) {
    if (directory.toString().isEmpty()) {
      throw new PackagingException(
          "The result directory's path is empty: name a directory for result.json");
    }
    Path absolute = directory.toAbsolutePath().normalize();
    if (!Files.isDirectory(absolute)) {
      if (Files.exists(absolute) || !Files.isDirectory(existingAncestor(absolute))) {
        throw new PackagingException(
            "Cannot write result.json into "
                + directory
                + ": "
                + notADirectory(absolute)
                + ". Name a directory");
      }
      try {
        Files.createDirectories(absolute);
      } catch (IOException e) {
        throw new PackagingException(
            "Cannot create the result directory "
                + directory
                + ": "
                + (Files.isWritable(existingAncestor(absolute))
                    ? "the file system refused it"
                    : "the directory "
                        + existingAncestor(absolute)
                        + " is not writable by this user"),
            e);
      }
    }
    String refusal = refusal(absolute);
    if (refusal != null) {
      throw new PackagingException(
          "Cannot write result.json into " + directory + ": the directory" + refusal);
    }
    return directory;
  }

  /**
   * Why files cannot be created in {@code directory}, as the rest of a sentence about it, or {@code
   * null}. Root passes every permission check, so a file is created too ({@code /sys}).
   */
  private static String refusal(Path directory) {
    if (!Files.isWritable(directory)) {
      return " is not writable by this user";
    }
    String refused = DirectoryProbe.refusal(directory);
    return refused == null ? null : " does not take new files (" + refused + ")";
  }

  /**
   * Which paths of the artifact directory {@code root} (relative to it) are the packaging's own
   * files rather than the model's, when they are inside the artifact's directory: the tarball
   * written and the directories beside it that it is built in (ODAHU's local flow runs the packager
   * there, so a cluster entrypoint's {@code image.tar} lands in the next packaging's artifact), and
   * {@code others}: the manifests the packaging was read from, which may hold a registry's
   * password, and its result.json.
   *
   * @param tarball the tarball written, or null when the image is pushed
   * @param others other files of the packaging's, existing or not
   */
  static Predicate<Path> packagingFiles(Path root, Path tarball, Collection<Path> others) {
    Path realRoot;
    try {
      realRoot = root.toRealPath();
    } catch (IOException e) {
      return relative -> false;
    }
    Set<Path> files = new HashSet<>();
    Path tarballDirectory = null;
    if (tarball != null) {
      Path file = inside(realRoot, tarball);
      if (file != null) {
        files.add(file);
        tarballDirectory =
            file.getParent() == null ? file.getFileSystem().getPath("") : file.getParent();
      }
    }
    for (Path other : others) {
      Optional.ofNullable(inside(realRoot, other)).ifPresent(files::add);
    }
    Path building = tarballDirectory;
    return relative -> {
      if (files.contains(relative)) {
        return true;
      }
      if (building == null || !relative.getFileName().toString().startsWith(BUILDING_PREFIX)) {
        return false;
      }
      Path parent = relative.getParent();
      return parent == null ? building.toString().isEmpty() : parent.equals(building);
    };
  }

  /**
   * {@code file} relative to {@code realRoot} (its links followed, or its directory's when it does
   * not exist yet), or null when it is outside it or its directory does not exist.
   */
  private static Path inside(Path realRoot, Path file) {
    Path real;
    try {
      real = file.toRealPath();
    } catch (IOException notThere) {
      try {
        Path parent = file.toAbsolutePath().getParent();
        if (parent == null) {
          return null;
        }
        real = parent.toRealPath().resolve(file.getFileName());
      } catch (IOException e) {
        return null;
      }
    }
    return real.startsWith(realRoot) ? realRoot.relativize(real) : null;
  }

  /** A file system failure as a sentence, without the exception's name. */
  public static String reason(IOException e) {
    return e instanceof NoSuchFileException ? "its directory does not exist" : FileErrors.reason(e);
  }

  /** Why {@code path}, which is not a directory, cannot hold files. */
  private static String notADirectory(Path path) {
    Path existing = existingAncestor(path);
    if (existing.equals(path)) {
      return path + " is a file, not a directory";
    }
    if (!Files.isDirectory(existing)) {
      return existing + " is a file, not a directory";
    }
    return "the directory " + path + " does not exist";
  }

  /** {@code path} or its nearest ancestor that exists (the root at worst). */
  private static Path existingAncestor(Path path) {
    Path existing = path;
    while (existing.getParent() != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    return existing;
  }
}
