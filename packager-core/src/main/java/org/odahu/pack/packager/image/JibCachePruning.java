package org.odahu.pack.packager.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.odahu.pack.artifact.files.FileTrees;

/**
 * Keeps Jib's layer caches from growing for ever: every model's build adds its own layers (its
 * files, its Python dependencies: often hundreds of MB), and Jib never removes any. Once per
 * process and cache, before the first build, layers no build has read for {@link #UNUSED} go (by
 * the files' access and modification times: a build that reuses a layer reads it), then the
 * selectors that named them, and what builds stopped midway left in {@code tmp/} for a day. A layer
 * that a build still wants is simply built (or pulled) again. What cannot be removed is left.
 */
final class JibCachePruning {
  /** How long a layer may go unread before it is removed: as long as the launcher's archives. */
  static final Duration UNUSED = Duration.ofDays(30);

  /** How old a {@code tmp/} entry is before it counts as left by a stopped build. */
  static final Duration LEFT_OVER = Duration.ofDays(1);

  private static final Set<Path> PRUNED = ConcurrentHashMap.newKeySet();

  /** What a pruning removed. */
  record Removed(int layers, long bytes) {}

  private JibCachePruning() {}

  /** Prunes {@code jibCache} (holding {@code application/} and {@code base/}) once per process. */
  static void once(Path jibCache, PackagingListener listener) {
    if (!PRUNED.add(jibCache.toAbsolutePath().normalize())) {
      return;
    }
    Instant now = Instant.now();
    Removed removed = prune(jibCache, now.minus(UNUSED), now.minus(LEFT_OVER));
    if (removed.layers() > 0) {
      listener.detail(
          String.format(
              Locale.ROOT,
              "Removed %d layer(s) unused for %d days from Jib's cache (%.1f MB)",
              removed.layers(),
              UNUSED.toDays(),
              removed.bytes() / 1e6));
    }
  }

  /**
   * Removes the layers of {@code jibCache}'s caches last read and written before {@code unused},
   * the selectors naming a removed layer, and {@code tmp/} entries older than {@code leftOver}.
   */
  static Removed prune(Path jibCache, Instant unused, Instant leftOver) {
    int layers = 0;
    long bytes = 0;
    for (String cache : List.of("application", "base")) {
      Path root = jibCache.resolve(cache);
      // layers/<digest>/: pulled and built layers; local/<digest>/: a tarball base's layers.
      for (Path entries : List.of(root.resolve("layers"), root.resolve("local"))) {
        for (Path layer : children(entries)) {
          if (Files.isDirectory(layer) && !layer.getFileName().toString().equals("config")) {
            long size = unreadSince(layer, unused);
            if (size >= 0 && delete(layer)) {
              layers++;
              bytes += size;
            }
          }
        }
      }
      for (Path selector : children(root.resolve("selectors"))) {
        String digest = read(selector);
        if (digest != null && !Files.isDirectory(root.resolve("layers").resolve(digest))) {
          delete(selector);
        }
      }
      for (Path work : children(root.resolve("tmp"))) {
        if (modifiedBefore(work, leftOver)) {
          delete(work);
        }
      }
    }
    return new Removed(layers, bytes);
  }

  /**
   * The bytes under {@code layer} if no file there was read or written since {@code since}, else
   * -1.
   */
  private static long unreadSince(Path layer, Instant since) {
    long size = 0;
    for (Path file : children(layer)) {
      try {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        if (!attributes.lastAccessTime().toInstant().isBefore(since)
            || !attributes.lastModifiedTime().toInstant().isBefore(since)) {
          return -1;
        }
        size += attributes.size();
      } catch (IOException e) {
        return -1;
      }
    }
    return modifiedBefore(layer, since) ? size : -1;
  }

  private static boolean modifiedBefore(Path path, Instant before) {
    try {
      return Files.getLastModifiedTime(path).toInstant().isBefore(before);
    } catch (IOException e) {
      return false;
    }
  }

  private static List<Path> children(Path directory) {
    try (Stream<Path> all = Files.list(directory)) {
      return all.toList();
    } catch (IOException | UncheckedIOException e) {
      return List.of(); // none yet, or not readable: nothing to prune
    }
  }

  private static String read(Path selector) {
    try {
      if (Files.size(selector) > 200) {
        return null;
      }
      String digest = Files.readString(selector, StandardCharsets.UTF_8).strip();
      return digest.matches("[0-9a-f]{64}") ? digest : null;
    } catch (IOException | UncheckedIOException e) {
      return null;
    }
  }

  private static boolean delete(Path path) {
    try {
      FileTrees.delete(path);
      return true;
    } catch (IOException | UncheckedIOException e) {
      return false;
    }
  }
}
