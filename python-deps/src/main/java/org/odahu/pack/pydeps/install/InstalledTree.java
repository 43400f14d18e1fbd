package org.odahu.pack.pydeps.install;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An installed dependency tree, ready to be one image layer at {@link #prefix()} (or, for local
 * runs, to be used where it is).
 *
 * @param root the tree on disk: {@code site-packages/}, maybe {@code bin/}, {@code include/}...
 * @param prefix where the tree goes in the image, e.g. {@code /opt/odahu-pack/deps}
 * @param key the tree's cache key (sha256 of the wheels, the target and the prefix)
 * @param reused whether the tree came from the cache
 */
public record InstalledTree(Path root, String prefix, String key, boolean reused) {

  /** The {@code PYTHONPATH} entry in the image: {@code <prefix>/site-packages}. */
  public String pythonPath() {
    return prefix + "/" + WheelInstaller.SITE;
  }

  /** The scripts' directory in the image, for {@code PATH}: {@code <prefix>/bin}. */
  public String binDirectory() {
    return prefix + "/" + WheelInstaller.BIN;
  }

  /** The {@code site-packages} directory on disk, for local workers' {@code PYTHONPATH}. */
  public Path sitePackages() {
    return root.resolve(WheelInstaller.SITE);
  }

  /**
   * The image's environment with this tree ahead of the base's: {@code PYTHONPATH} starts with
   * {@link #pythonPath()}, {@code PATH} with {@link #binDirectory()} when there are scripts.
   *
   * @param baseEnvironment the base image's environment ({@code PATH}, maybe {@code PYTHONPATH})
   * @return the variables to set
   */
  public Map<String, String> environment(Map<String, String> baseEnvironment) {
    Map<String, String> environment = new LinkedHashMap<>();
    String pythonPath = baseEnvironment.get("PYTHONPATH");
    environment.put(
        "PYTHONPATH",
        pythonPath == null || pythonPath.isEmpty()
            ? pythonPath()
            : pythonPath() + ":" + pythonPath);
    if (Files.isDirectory(root.resolve(WheelInstaller.BIN))) {
      String path =
          baseEnvironment.getOrDefault(
              "PATH", org.odahu.pack.pydeps.image.TargetHints.DEFAULT_PATH);
      environment.put("PATH", binDirectory() + ":" + path);
    }
    return environment;
  }
}
