package org.odahu.pack.pydeps.cache;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.odahu.pack.artifact.files.FileErrors;
import org.odahu.pack.pydeps.common.DependencyException;
import org.odahu.pack.pydeps.index.DistributionLink;
import org.odahu.pack.pydeps.index.PackageFinder;

/**
 * The dependency cache directory: wheels by sha256 ({@code wheels/<sha256>/<file>}), resolutions by
 * the key of their inputs ({@code resolutions/<key>.json}), wheel metadata ({@code
 * metadata/<sha256>}) and installed trees ({@code trees/<key>/}). Entries are written to a
 * temporary name and renamed, so a concurrent or interrupted run never sees half an entry.
 */
public final class DependencyCache {
  private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

  /** A temporary entry's name: the process that made it, then a random part. */
  private static final Pattern OWNED = Pattern.compile("(\\d+)-.*");

  private final Path directory;

  /** The wheels whose digest was checked, with their size and modification time then. */
  private final Map<Path, String> verified = new ConcurrentHashMap<>();

  /** The cache in {@code directory} (created when first written). */
  public DependencyCache(Path directory) {
    this.directory = directory.toAbsolutePath();
  }

  /** The cache's directory. */
  public Path directory() {
    return directory;
  }

  /**
   * The cached wheel with digest {@code sha256}, if any. One whose bytes no longer have that digest
   * (damaged on disk) is deleted and reported absent, so that it is fetched again.
   */
  public Optional<Path> wheel(String sha256, String filename) {
    if (!HEX.matcher(sha256).matches() || !DistributionLink.isPlainName(filename)) {
      return Optional.empty(); // a malformed digest or name from a source is simply not cached
    }
    Path wheel = directory.resolve("wheels").resolve(sha256).resolve(filename);
    if (!Files.isRegularFile(wheel)) {
      return Optional.empty();
    }
    try {
      if (intact(wheel, sha256)) {
        return Optional.of(wheel);
      }
      // Damaged on disk since it was stored: gone, it is fetched again like any missing wheel.
      Files.deleteIfExists(wheel);
      return Optional.empty();
    } catch (IOException e) {
      throw new DependencyException(
          "The cached wheel "
              + wheel
              + " cannot be checked or deleted: "
              + FileErrors.reason(e)
              + ". Remedy: delete it; it is fetched again",
          e);
    }
  }

  /**
   * Whether {@code wheel}'s bytes still have the digest it was stored under; each file is read once
   * per cache object while its size and modification time stay the same.
   */
  private boolean intact(Path wheel, String sha256) throws IOException {
    String stamp = Files.size(wheel) + "@" + Files.getLastModifiedTime(wheel).toMillis();
    if (stamp.equals(verified.get(wheel))) {
      return true;
    }
    if (!PackageFinder.sha256(wheel).equals(sha256)) {
      verified.remove(wheel);
      return false;
    }
    verified.put(wheel, stamp);
    return true;
  }

  /** Moves the verified download {@code file} into the cache; returns its cached path. */
  public Path storeWheel(Path file, String sha256, String filename) {
    if (!DistributionLink.isPlainName(filename)) {
      throw new DependencyException("Refusing to cache a wheel named '" + filename + "'");
    }
    Path target = directory.resolve("wheels").resolve(hex(sha256)).resolve(filename);
    try {
      Files.createDirectories(target.getParent());
      move(file, target);
      return target;
    } catch (IOException e) {
      throw new DependencyException(
          "Cannot write the dependency cache " + directory + ": " + e.getMessage(), e);
    }
  }

  /** A text entry ({@code resolutions/<key>.json}, {@code metadata/<sha256>}), if present. */
  public Optional<String> text(String kind, String key) {
    if (!HEX.matcher(key).matches()) {
      return Optional.empty();
    }
    Path file =
        directory.resolve(kind).resolve(hex(key) + (kind.equals("resolutions") ? ".json" : ""));
    try {
      return Files.isRegularFile(file)
          ? Optional.of(Files.readString(file, StandardCharsets.UTF_8))
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Stores a text entry. */
  public void storeText(String kind, String key, String text) {
    if (!HEX.matcher(key).matches()) {
      return;
    }
    Path file =
        directory.resolve(kind).resolve(hex(key) + (kind.equals("resolutions") ? ".json" : ""));
    try {
      Path temporary = newTemporary();
      Files.writeString(temporary, text, StandardCharsets.UTF_8);
      Files.createDirectories(file.getParent());
      move(temporary, file);
    } catch (IOException e) {
      throw new DependencyException(
          "Cannot write the dependency cache " + directory + ": " + e.getMessage(), e);
    }
  }

  /** Where the installed tree with key {@code key} is (or would be). */
  public Path tree(String key) {
    return directory.resolve("trees").resolve(hex(key));
  }

  /** A fresh temporary path inside the cache (same file system, so renames are atomic). */
  public Path newTemporary() throws IOException {
    Path tmp = directory.resolve("tmp");
    Files.createDirectories(tmp);
    if (!swept) {
      swept = true;
      sweep(tmp);
    }
    return tmp.resolve(ProcessHandle.current().pid() + "-" + java.util.UUID.randomUUID());
  }

  /** How long an entry of no known process may be left before it is taken for a killed run's. */
  static final java.time.Duration STALE = java.time.Duration.ofDays(1);

  private boolean swept;

  /**
   * Deletes what killed runs left in {@code tmp} (a partial wheel, a half-installed tree): nothing
   * else deletes them, and a run stopped mid-download may leave gigabytes. An entry is named by the
   * process that made it and goes once that process is gone (a tree's times are fixed for
   * reproducible layers, so they say nothing); an entry without one, once a day old.
   */
  private static void sweep(Path tmp) {
    java.nio.file.attribute.FileTime before =
        java.nio.file.attribute.FileTime.from(java.time.Instant.now().minus(STALE));
    try (Stream<Path> entries = Files.list(tmp)) {
      for (Path entry : entries.toList()) {
        try {
          java.util.regex.Matcher owner = OWNED.matcher(entry.getFileName().toString());
          boolean abandoned =
              owner.matches()
                  ? ProcessHandle.of(Long.parseLong(owner.group(1)))
                      .map(process -> !process.isAlive())
                      .orElse(true)
                  : Files.getLastModifiedTime(entry, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                          .compareTo(before)
                      < 0;
          if (abandoned) {
            deleteTree(entry);
          }
        } catch (IOException e) {
          // Another run's, or already gone: the next sweep tries again.
        }
      }
    } catch (IOException e) {
      // Not listable now: nothing to sweep.
    }
  }

  /**
   * Moves the finished tree {@code staging} to its key's place; if another run was first, keeps
   * that one (same key, same content) and deletes {@code staging}.
   */
  public Path storeTree(Path staging, String key) throws IOException {
    Path target = tree(key);
    Files.createDirectories(target.getParent());
    try {
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileSystemException raced) {
      // Renaming onto the other run's directory fails with ENOTEMPTY, which the JDK reports as a
      // plain FileSystemException.
      if (!Files.isDirectory(target)) {
        throw raced;
      }
      deleteTree(staging);
    }
    return target;
  }

  /**
   * Takes the tree with key {@code key} out of the cache (damaged on disk): renamed away at once,
   * so that no run finds it half deleted, then deleted. Another run may have taken it first.
   */
  public void discardTree(String key) throws IOException {
    Path away = newTemporary();
    try {
      Files.move(tree(key), away, StandardCopyOption.ATOMIC_MOVE);
    } catch (java.nio.file.NoSuchFileException gone) {
      return;
    }
    deleteTree(away);
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Deletes {@code path} and everything below it. */
  public static void deleteTree(Path path) throws IOException {
    if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> all = Files.walk(path)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause(); // the walk's own failure, e.g. a directory another run deleted
    }
  }

  private static String hex(String key) {
    if (!HEX.matcher(key).matches()) {
      throw new IllegalArgumentException("Not a sha256: " + key);
    }
    return key;
  }
}
