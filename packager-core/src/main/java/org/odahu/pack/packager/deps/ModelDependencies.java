package org.odahu.pack.packager.deps;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.odahu.pack.artifact.ModelArtifact;
import org.odahu.pack.packager.PackagingException;
import org.odahu.pack.packager.PackagingPlan;
import org.odahu.pack.packager.image.ImageTarball;
import org.odahu.pack.packager.image.Layers;
import org.odahu.pack.packager.image.PackagingListener;
import org.odahu.pack.pydeps.PythonDependencies;
import org.odahu.pack.pydeps.common.DependencyException;
import org.odahu.pack.pydeps.common.PlanIssue;
import org.odahu.pack.pydeps.declare.DeclarationFiles;
import org.odahu.pack.pydeps.declare.DeclaredDependencies;
import org.odahu.pack.pydeps.image.ImageTarballLayers;
import org.odahu.pack.pydeps.image.LayeredImageRoot;
import org.odahu.pack.pydeps.image.TargetDetector;
import org.odahu.pack.pydeps.image.TargetEnvironment;
import org.odahu.pack.pydeps.image.TargetHints;
import org.odahu.pack.pydeps.index.PackageSources;
import org.odahu.pack.pydeps.install.InstalledTree;
import org.odahu.pack.pydeps.plan.DependencyPlan;
import org.odahu.pack.pydeps.plan.PlanOptions;

/**
 * A model's own Python dependencies as one image layer: what the artifact declares, planned for the
 * base image's Python (read from the base's own files, cached by its layers), the plan shown before
 * anything is built, and the wheels installed into a cached tree at {@link
 * PythonDependencies#IMAGE_PREFIX}, ahead of the base's packages on {@code PYTHONPATH}.
 */
public final class ModelDependencies {
  /** The layer's name in Jib's build plan. */
  public static final String LAYER_NAME = "python-dependencies";

  private final PythonDependencies dependencies;
  private final DependencySettings settings;
  private final PlanOptions options;
  private final PackagingListener listener;

  private ModelDependencies(
      PythonDependencies dependencies,
      DependencySettings settings,
      PlanOptions options,
      PackagingListener listener) {
    this.dependencies = dependencies;
    this.settings = settings;
    this.options = options;
    this.listener = listener;
  }

  /**
   * The dependencies of one packaging: the machine's settings plus the packaging's arguments
   * ({@code pipIndexUrl}, {@code pipExtraIndexUrls}, {@code pipFindLinks}, {@code
   * strictDependencies}).
   *
   * @param cacheDirectory odahu-pack's cache; the dependency cache is its {@code python-deps/}
   */
  public static ModelDependencies forPackaging(
      Path cacheDirectory,
      DependencySettings settings,
      PackagingPlan packaging,
      PackagingListener listener) {
    return new ModelDependencies(
        new PythonDependencies(
            cacheDirectory.resolve("python-deps"), sources(settings, packaging), listener::detail),
        settings,
        options(settings, packaging),
        listener);
  }

  /** The machine's sources, the packaging's {@code pipIndexUrl} replacing its main index. */
  static PackageSources sources(DependencySettings settings, PackagingPlan packaging) {
    PackageSources sources = settings.sources();
    String indexUrl = packaging.text("pipIndexUrl", "");
    if (!indexUrl.isEmpty()) {
      sources = sources.withIndexUrl(indexUrl);
    }
    return sources
        .withExtraIndexUrls(locations(packaging, "pipExtraIndexUrls"))
        .withFindLinks(locations(packaging, "pipFindLinks"));
  }

  /** Strict when the machine or the packaging ({@code strictDependencies}) says so. */
  static PlanOptions options(DependencySettings settings, PackagingPlan packaging) {
    return PlanOptions.DEFAULTS
        .withStrict(settings.strict() || packaging.bool("strictDependencies", false))
        .withRefresh(settings.refresh());
  }

  /** An argument holding URLs or paths: a list, or one string of them separated by spaces. */
  private static List<String> locations(PackagingPlan packaging, String name) {
    JsonNode value = packaging.arguments().get(name);
    List<String> locations = new ArrayList<>();
    if (value != null && value.isArray()) {
      value.forEach(item -> locations.add(item.asText().strip()));
    } else if (value != null && value.isTextual()) {
      locations.addAll(List.of(value.asText().strip().split("\\s+")));
    }
    locations.removeIf(String::isEmpty);
    return locations;
  }

  /**
   * What the artifact declares: its conda file ({@code binaries.conda_path}) and, next to it,
   * MLflow's {@code requirements.txt} and {@code python_env.yaml}.
   */
  public DeclaredDependencies declared(ModelArtifact artifact) {
    var manifest = artifact.manifest();
    String workDir = manifest.model() == null ? null : manifest.model().workDir();
    try {
      return dependencies.read(
          artifact.root(),
          DeclarationFiles.discover(artifact.root(), manifest.binaries().condaPath(), workDir),
          settings.environment());
    } catch (DependencyException e) {
      throw new PackagingException(e.getMessage(), e);
    }
  }

  /**
   * The layer of {@code declared} on the base image in {@code baseTarball}, after printing the
   * plan; empty when the base provides everything.
   *
   * @throws PackagingException with one line per unsatisfiable requirement, or when a source fails
   */
  public Optional<DependencyLayer> layer(DeclaredDependencies declared, Path baseTarball) {
    try {
      ImageTarball base = ImageTarball.read(baseTarball);
      Map<String, String> baseEnvironment = environment(base.config());
      DependencyPlan plan =
          dependencies.plan(declared, target(base, baseTarball, baseEnvironment), options);
      listener.step(plan.render().stripTrailing());
      if (!plan.ok()) {
        throw new PackagingException(
            String.join("\n", plan.failures().stream().map(PlanIssue::line).toList()));
      }
      if (plan.isEmpty()) {
        return Optional.empty();
      }
      InstalledTree tree = dependencies.install(plan, PythonDependencies.IMAGE_PREFIX);
      listener.step(
          "Python dependency layer: "
              + plan.install().size()
              + " wheels in "
              + tree.prefix()
              + (tree.reused() ? " (installed tree reused from the cache)" : ""));
      return Optional.of(
          new DependencyLayer(
              Layers.directory(LAYER_NAME, tree.root(), tree.prefix(), Set.of()),
              imageEnvironment(tree, plan.target().interpreter(), baseEnvironment),
              tree));
    } catch (DependencyException e) {
      throw new PackagingException(e.getMessage(), e);
    }
  }

  /**
   * The variables an image with {@code tree} needs: the tree's ({@code PYTHONPATH}, and {@code
   * PATH} with its {@code bin} first when it has scripts), and {@code ODAHU_PYTHON} set to {@code
   * interpreter}, the base's Python by the absolute path planning found it at on the base's {@code
   * PATH}. The server starts its workers with {@code ODAHU_PYTHON}, looked up on {@code PATH} when
   * relative ({@link org.odahu.pack.packager.layout.ImageParts#baseEnvironment} sets {@code
   * python3}): the base's interpreter is what the wheels were chosen for, whatever the tree's
   * {@code bin} holds.
   */
  static Map<String, String> imageEnvironment(
      InstalledTree tree, String interpreter, Map<String, String> baseEnvironment) {
    Map<String, String> environment = new LinkedHashMap<>(tree.environment(baseEnvironment));
    environment.put("ODAHU_PYTHON", interpreter);
    return environment;
  }

  private TargetEnvironment target(
      ImageTarball base, Path tarball, Map<String, String> baseEnvironment) {
    TargetHints hints =
        TargetHints.of(
            baseEnvironment.get("PATH"),
            Optional.ofNullable(base.config().path("architecture").textValue()));
    List<String> layers = new ArrayList<>();
    base.config().at("/rootfs/diff_ids").forEach(id -> layers.add(id.asText()));
    if (layers.isEmpty()) {
      return dependencies.target(baseRoot(tarball), hints);
    }
    return dependencies.target(String.join(",", layers), () -> baseRoot(tarball), hints);
  }

  private LayeredImageRoot baseRoot(Path tarball) {
    listener.step("Reading what the base image provides from its files");
    return LayeredImageRoot.read(ImageTarballLayers.read(tarball), TargetDetector.PREFETCH);
  }

  /** An image configuration's {@code Env}, in order. */
  static Map<String, String> environment(JsonNode config) {
    Map<String, String> environment = new LinkedHashMap<>();
    for (JsonNode variable : config.at("/config/Env")) {
      String text = variable.asText();
      int equals = text.indexOf('=');
      if (equals > 0) {
        environment.put(text.substring(0, equals), text.substring(equals + 1));
      }
    }
    return environment;
  }
}
