package org.odahu.pack.packager.deps;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.odahu.pack.pydeps.index.PackageSources;

/**
 * How the packager installs a model's Python dependencies on this machine; a packaging's arguments
 * ({@code strictDependencies}, {@code pipIndexUrl}, {@code pipExtraIndexUrls}, {@code
 * pipFindLinks}) add to it.
 *
 * @param sources where wheels come from: pip's configuration of this machine, or a wheelhouse
 * @param environment the variables {@code ${VAR}} in requirements files may name
 * @param strict whether plan warnings fail the packaging ({@code --strict-dependencies})
 * @param refresh whether to resolve again instead of reusing a cached resolution
 */
public record DependencySettings(
    PackageSources sources, Map<String, String> environment, boolean strict, boolean refresh) {

  /** pip's defaults (PyPI), no variables, not strict, cached resolutions reused. */
  public static final DependencySettings DEFAULTS =
      new DependencySettings(PackageSources.index(PackageSources.PYPI), Map.of(), false, false);

  public DependencySettings {
    environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
  }

  /** These settings with other sources. */
  public DependencySettings withSources(PackageSources other) {
    return new DependencySettings(other, environment, strict, refresh);
  }

  /** The environment is left out: it may hold secrets. */
  @Override
  public String toString() {
    return "DependencySettings[sources="
        + sources
        + ", strict="
        + strict
        + ", refresh="
        + refresh
        + "]";
  }
}
