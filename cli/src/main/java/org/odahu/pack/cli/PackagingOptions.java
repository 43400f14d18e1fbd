package org.odahu.pack.cli;

import java.nio.file.Path;
import java.util.Map;
import org.odahu.pack.packager.deps.DependencySettings;
import org.odahu.pack.packager.image.VerificationSettings;
import org.odahu.pack.pydeps.index.PackageSources;
import org.odahu.pack.pydeps.index.PipConfiguration;
import picocli.CommandLine.Option;

/** How a packaging treats the model's Python dependencies, and whether it runs the image first. */
final class PackagingOptions {
  @Option(
      names = "--strict-dependencies",
      description =
          "Fail on dependency warnings too: a pin installed over another version the base has,"
              + " a python= pin that differs from the base's Python, conda-only packages.")
  boolean strictDependencies;

  @Option(
      names = "--refresh-dependencies",
      description =
          "Resolve the model's dependencies again instead of reusing the cached resolution"
              + " (e.g. to pick up new releases).")
  boolean refreshDependencies;

  @Option(
      names = "--wheelhouse",
      paramLabel = "DIR",
      description =
          "Take the model's pip dependencies only from this directory of wheels (an offline"
              + " build; default: pip's PIP_INDEX_URL, PIP_EXTRA_INDEX_URL, PIP_FIND_LINKS, pip.conf).")
  Path wheelhouse;

  @Option(
      names = "--verify",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Run the model's self-check inside the built image (with bwrap) before pushing or"
              + " writing it (default on; --no-verify skips it).")
  boolean verify;

  /**
   * Where wheels come from and how strictly: the wheelhouse, else pip's configuration of this
   * machine ({@code environment}, {@code ~/.config/pip/pip.conf}, {@code /etc/pip.conf}).
   */
  DependencySettings dependencies(Map<String, String> environment, Path home) {
    PackageSources sources =
        wheelhouse != null
            ? PackageSources.wheelhouse(wheelhouse.toAbsolutePath())
            : PipConfiguration.read(environment, home, Path.of("/etc"));
    return new DependencySettings(sources, environment, strictDependencies, refreshDependencies);
  }

  /** Verification as asked; the bwrap on the PATH. */
  VerificationSettings verification() {
    return VerificationSettings.DEFAULTS.withEnabled(verify);
  }
}
