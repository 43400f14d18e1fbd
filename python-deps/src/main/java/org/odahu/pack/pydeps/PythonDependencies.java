package org.odahu.pack.pydeps;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.odahu.pack.pydeps.cache.CanonicalJson;
import org.odahu.pack.pydeps.cache.DependencyCache;
import org.odahu.pack.pydeps.common.DependencyListener;
import org.odahu.pack.pydeps.declare.DeclarationFiles;
import org.odahu.pack.pydeps.declare.DeclarationReader;
import org.odahu.pack.pydeps.declare.DeclaredDependencies;
import org.odahu.pack.pydeps.image.DirectoryImageRoot;
import org.odahu.pack.pydeps.image.ImageRoot;
import org.odahu.pack.pydeps.image.TargetCodec;
import org.odahu.pack.pydeps.image.TargetDetector;
import org.odahu.pack.pydeps.image.TargetEnvironment;
import org.odahu.pack.pydeps.image.TargetHints;
import org.odahu.pack.pydeps.index.PackageSources;
import org.odahu.pack.pydeps.install.InstalledTree;
import org.odahu.pack.pydeps.install.TreeInstaller;
import org.odahu.pack.pydeps.plan.DependencyPlan;
import org.odahu.pack.pydeps.plan.DependencyPlanner;
import org.odahu.pack.pydeps.plan.PlanOptions;

/**
 * A model's Python dependencies, from declaration to installed tree: read what the artifact
 * declares, read what the base image provides, plan for that target, install the plan's wheels into
 * a cached, reproducible tree for one image layer (or for local workers).
 */
public final class PythonDependencies {
  /** Where the dependency layer goes in an image. */
  public static final String IMAGE_PREFIX = "/opt/odahu-pack/deps";

  /** The prefix local trees are keyed with: they are used where they are, in the cache. */
  static final String LOCAL_PREFIX = "local";

  private final DependencyCache cache;
  private final DependencyPlanner planner;
  private final TreeInstaller installer;

  /**
   * @param cacheDirectory the dependency cache, e.g. {@code ~/.cache/odahu-pack/python-deps}
   * @param sources where wheels come from (see {@link
   *     org.odahu.pack.pydeps.index.PipConfiguration})
   * @param listener progress
   */
  public PythonDependencies(
      Path cacheDirectory, PackageSources sources, DependencyListener listener) {
    this.cache = new DependencyCache(cacheDirectory);
    this.planner = new DependencyPlanner(sources, cache, listener);
    this.installer = new TreeInstaller(cache);
  }

  /**
   * What an artifact declares.
   *
   * @param artifactRoot the unpacked artifact
   * @param files which files declare (see {@link DeclarationFiles#discover})
   * @param environment variables for {@code ${VAR}} in requirements lines
   */
  public DeclaredDependencies read(
      Path artifactRoot, DeclarationFiles files, Map<String, String> environment) {
    return new DeclarationReader(artifactRoot, environment).read(files);
  }

  /** What the base image at {@code root} provides. */
  public TargetEnvironment target(ImageRoot root, TargetHints hints) {
    return new TargetDetector().detect(root, hints);
  }

  /**
   * What the base image whose files {@code imageKey} identifies provides: from the cache, else read
   * from {@code root} (only then opened) and cached. The key must change whenever the image's files
   * do, e.g. the list of its layers' digests.
   */
  public TargetEnvironment target(String imageKey, Supplier<ImageRoot> root, TargetHints hints) {
    String key =
        CanonicalJson.sha256(
            Map.of(
                "format",
                TargetCodec.FORMAT,
                "image",
                imageKey,
                "path",
                hints.pathVariable(),
                "interpreter",
                hints.interpreter(),
                "architecture",
                hints.architecture().orElse("")));
    Optional<TargetEnvironment> cached = cache.text("targets", key).flatMap(TargetCodec::read);
    if (cached.isPresent()) {
      return cached.get();
    }
    TargetEnvironment detected = target(root.get(), hints);
    cache.storeText("targets", key, TargetCodec.write(detected));
    return detected;
  }

  /** The plan of {@code declared} for {@code target}. */
  public DependencyPlan plan(
      DeclaredDependencies declared, TargetEnvironment target, PlanOptions options) {
    return planner.plan(declared, target, options);
  }

  /**
   * The plan's tree for an image layer at {@code prefix} (usually {@link #IMAGE_PREFIX}).
   *
   * @throws UnsatisfiedDependenciesException if the plan is not {@link DependencyPlan#ok()}
   */
  public InstalledTree install(DependencyPlan plan, String prefix) {
    if (!plan.ok()) {
      throw new UnsatisfiedDependenciesException(plan);
    }
    return installer.install(plan, prefix);
  }

  /**
   * A local environment for {@code serve --install-deps}: the dependencies planned for the host's
   * Python {@code interpreter} (reading the host's own site directories as the "base") and
   * installed into a cached tree whose {@link InstalledTree#sitePackages()} goes on the workers'
   * {@code PYTHONPATH}.
   */
  public LocalEnvironment local(
      DeclaredDependencies declared, String interpreter, PlanOptions options) {
    TargetEnvironment host =
        target(
            new DirectoryImageRoot(Path.of("/")),
            new TargetHints(TargetHints.DEFAULT_PATH, interpreter, java.util.Optional.empty()));
    DependencyPlan plan = plan(declared, host, options);
    InstalledTree tree = install(plan, LOCAL_PREFIX);
    return new LocalEnvironment(plan, tree, cache.directory().resolve("pycache"));
  }
}
