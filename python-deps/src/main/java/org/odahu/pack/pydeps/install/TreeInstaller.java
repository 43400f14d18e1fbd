package org.odahu.pack.pydeps.install;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.odahu.pack.pydeps.cache.CanonicalJson;
import org.odahu.pack.pydeps.cache.DependencyCache;
import org.odahu.pack.pydeps.common.DependencyException;
import org.odahu.pack.pydeps.plan.DependencyPlan;
import org.odahu.pack.pydeps.plan.PlanTarget;
import org.odahu.pack.pydeps.plan.PlannedWheel;

/**
 * Installs a plan's wheels into one tree, cached under a key of everything that decides its bytes
 * (installer format, target, prefix, interpreter, the wheels' names, versions, files and digests):
 * the same plan reuses the tree, and a fresh install gives the same bytes (sorted RECORDs, fixed
 * modes and modification times).
 */
public final class TreeInstaller {
  /** Changes whenever the installer would lay out a tree differently. */
  public static final String FORMAT = "odahu-pack-wheel-tree/1";

  /** The modification time of every file of a tree (Jib's default for layers, epoch + 1 s). */
  public static final FileTime MTIME = FileTime.from(Instant.ofEpochSecond(1));

  private final DependencyCache cache;

  /** An installer writing into {@code cache}. */
  public TreeInstaller(DependencyCache cache) {
    this.cache = cache;
  }

  /** The key of the tree {@code plan} gives at {@code prefix}. */
  public static String key(DependencyPlan plan, String prefix) {
    PlanTarget target = plan.target();
    Map<String, Object> value = new TreeMap<>();
    value.put("format", FORMAT);
    value.put("prefix", prefix);
    value.put("interpreter", target.interpreter());
    value.put(
        "target",
        Map.of(
            "implementation",
            target.implementation(),
            "python",
            target.pythonVersion(),
            "abi",
            target.abi(),
            "platforms",
            target.platforms()));
    List<List<String>> wheels = new ArrayList<>();
    plan.install().stream()
        .sorted(Comparator.comparing(PlannedWheel::name))
        .forEach(w -> wheels.add(List.of(w.name(), w.version(), w.filename(), w.sha256())));
    value.put("wheels", wheels);
    return CanonicalJson.sha256(value);
  }

  /**
   * The tree of {@code plan}'s wheels for {@code prefix}: from the cache, or installed from the
   * cached wheels (which planning fetched).
   */
  public InstalledTree install(DependencyPlan plan, String prefix) {
    String key = key(plan, prefix);
    Path tree = cache.tree(key);
    Path staging = null;
    try {
      if (Files.isDirectory(tree)) {
        if (RecordFile.complete(tree.resolve(WheelInstaller.SITE), plan.install().size())) {
          return new InstalledTree(tree, prefix, key, true);
        }
        cache.discardTree(key); // damaged on disk: installed again
      }
      staging = cache.newTemporary();
      Files.createDirectories(staging.resolve(WheelInstaller.SITE));
      WheelInstaller installer = new WheelInstaller(plan.target().interpreter());
      for (PlannedWheel wheel :
          plan.install().stream().sorted(Comparator.comparing(PlannedWheel::name)).toList()) {
        Path file =
            cache
                .wheel(wheel.sha256(), wheel.filename())
                .orElseThrow(
                    () ->
                        new DependencyException(
                            "The wheel "
                                + wheel.filename()
                                + " is missing from the cache "
                                + cache.directory()));
        installer.install(file, wheel.filename(), staging);
      }
      normalize(staging);
      return new InstalledTree(cache.storeTree(staging, key), prefix, key, false);
    } catch (IOException e) {
      throw new DependencyException(
          "Cannot install the dependencies into " + cache.directory() + ": " + e.getMessage(), e);
    } finally {
      deleteQuietly(staging);
    }
  }

  /** Directories 755, every modification time fixed, deepest first so parents keep theirs. */
  private static void normalize(Path tree) throws IOException {
    try (Stream<Path> all = Files.walk(tree)) {
      for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
        if (Files.isSymbolicLink(path)) {
          throw new DependencyException(
              "Unexpected link in the installed tree: " + tree.relativize(path));
        }
        if (Files.isDirectory(path)) {
          Modes.set(path, true);
        }
        Files.setLastModifiedTime(path, MTIME);
      }
    }
  }

  private static void deleteQuietly(Path staging) {
    if (staging == null) {
      return;
    }
    try {
      DependencyCache.deleteTree(staging);
    } catch (IOException e) {
      // a leftover in the cache's tmp/ is harmless
    }
  }
}
