package org.odahu.pack.pydeps.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.odahu.pack.pydeps.DependencyListener;
import org.odahu.pack.pydeps.cache.CanonicalJson;
import org.odahu.pack.pydeps.cache.DependencyCache;
import org.odahu.pack.pydeps.declare.DeclaredDependencies;
import org.odahu.pack.pydeps.declare.DeclaredRequirement;
import org.odahu.pack.pydeps.image.TargetEnvironment;
import org.odahu.pack.pydeps.index.PackageFinder;
import org.odahu.pack.pydeps.index.PackageSources;
import org.odahu.pack.pydeps.pep440.SpecifierSet;
import org.odahu.pack.pydeps.pep508.MarkerEnvironment;
import org.odahu.pack.pydeps.resolve.Candidate;
import org.odahu.pack.pydeps.resolve.Candidates;
import org.odahu.pack.pydeps.resolve.Constraint;
import org.odahu.pack.pydeps.resolve.Resolver;
import org.odahu.pack.pydeps.tags.TargetTags;

/**
 * Plans a model's declared dependencies for a target: checks the declarations against the base
 * image, resolves the requirements for the target, fetches the chosen wheels into the cache and
 * says what the base provides, what will be installed and what is wrong. A plan of the same
 * declarations, target and sources is reused from the cache without asking any source, so a second
 * build works offline.
 */
public final class DependencyPlanner {
  /** Changes whenever planning would decide differently for the same inputs. */
  public static final String FORMAT = "odahu-pack-resolution/1";

  private final PackageSources sources;
  private final DependencyCache cache;
  private final DependencyListener listener;

  /**
   * @param sources where wheels come from (the model's own options are added per plan)
   * @param cache the dependency cache
   * @param listener progress
   */
  public DependencyPlanner(
      PackageSources sources, DependencyCache cache, DependencyListener listener) {
    this.sources = sources;
    this.cache = cache;
    this.listener = listener;
  }

  /** The plan of {@code declared} for {@code target}. */
  public DependencyPlan plan(
      DeclaredDependencies declared, TargetEnvironment target, PlanOptions options) {
    PackageSources effective = sources.with(declared.sources());
    boolean pre = options.prereleases() || declared.sources().pre();
    String key = key(declared, target, effective, options, pre);
    if (!options.refresh()) {
      Optional<DependencyPlan> cached =
          cache.text("resolutions", key).flatMap(PlanCodec::read).filter(this::wheelsCached);
      if (cached.isPresent()) {
        listener.progress(
            "Reusing the resolution of the same dependencies from " + cache.directory());
        return cached.get().withStrict(options.strict()).asReused();
      }
    }
    DependencyPlan plan = resolve(declared, target, effective, options, pre);
    if (plan.errors().isEmpty()) {
      cache.storeText("resolutions", key, PlanCodec.write(plan.withStrict(false)));
    }
    return plan;
  }

  private DependencyPlan resolve(
      DeclaredDependencies declared,
      TargetEnvironment target,
      PackageSources effective,
      PlanOptions options,
      boolean pre) {
    TargetTags tags = target.tags(options.allowLinuxTag());
    PlanTarget planTarget =
        new PlanTarget(
            target.describe(),
            target.interpreter(),
            "cp",
            target.pythonMinor(),
            target.abi(),
            tags.platforms());
    List<PlanIssue> warnings = new ArrayList<>(DeclarationChecks.warnings(declared, target));
    List<String> notes = new ArrayList<>(declared.notes());
    notes.addAll(target.notes());
    MarkerEnvironment markers = target.markers();
    List<Constraint> roots = new ArrayList<>();
    for (DeclaredRequirement requirement : declared.requirements()) {
      if (requirement.requirement().appliesTo(markers, java.util.Set.of())) {
        roots.add(
            new Constraint(requirement.requirement(), requirement.origin(), requirement.hashes()));
      } else {
        notes.add(
            requirement.origin()
                + ": '"
                + requirement.requirement()
                + "' does not apply to "
                + target.describe());
      }
    }
    if (roots.isEmpty()) {
      return new DependencyPlan(
          planTarget, List.of(), List.of(), warnings, List.of(), notes, options.strict(), false);
    }
    PackageFinder finder = new PackageFinder(effective);
    Candidates candidates =
        new Candidates(finder, target, tags, pre, globalConstraints(declared, markers));
    WheelStore wheels = new WheelStore(finder, cache, listener);
    Resolver resolver = new Resolver(candidates, wheels, effective.toString(), options.budget());
    List<PlanIssue> errors = preflight(roots, candidates, resolver);
    if (!errors.isEmpty()) {
      return new DependencyPlan(
          planTarget, List.of(), List.of(), warnings, errors, notes, options.strict(), false);
    }
    listener.progress("Resolving " + roots.size() + " requirements for " + target.describe());
    Resolver.Result result = resolver.resolve(roots);
    if (!result.ok()) {
      return new DependencyPlan(
          planTarget,
          List.of(),
          List.of(),
          warnings,
          List.of(result.failure()),
          notes,
          options.strict(),
          false);
    }
    return outcome(result, target, wheels, planTarget, warnings, notes, options);
  }

  /** Each declared project checked alone first, so that every hopeless one is reported at once. */
  private static List<PlanIssue> preflight(
      List<Constraint> roots, Candidates candidates, Resolver resolver) {
    Map<String, List<Constraint>> byName = new LinkedHashMap<>();
    roots.forEach(
        root -> byName.computeIfAbsent(root.requirement().key(), k -> new ArrayList<>()).add(root));
    List<PlanIssue> errors = new ArrayList<>();
    byName.forEach(
        (name, constraints) -> {
          if (candidates.forName(name, constraints).isEmpty()) {
            errors.add(resolver.explain(name, constraints));
          }
        });
    return errors;
  }

  private DependencyPlan outcome(
      Resolver.Result result,
      TargetEnvironment target,
      WheelStore wheels,
      PlanTarget planTarget,
      List<PlanIssue> warnings,
      List<String> notes,
      PlanOptions options) {
    List<ProvidedPackage> provided = new ArrayList<>();
    List<PlannedWheel> install = new ArrayList<>();
    result
        .pins()
        .forEach(
            (name, candidate) -> {
              List<Constraint> constraints = result.constraints().get(name);
              List<String> requiredBy =
                  constraints.stream().map(Constraint::origin).distinct().toList();
              if (candidate instanceof Candidate.Installed installed) {
                String metadata = installed.distribution().metadata();
                provided.add(
                    new ProvidedPackage(
                        installed.distribution().name(),
                        candidate.version().toString(),
                        metadata.substring(0, metadata.lastIndexOf('/')),
                        requiredBy));
                return;
              }
              Candidate.Wheel wheel = (Candidate.Wheel) candidate;
              List<String> hashes =
                  constraints.stream().flatMap(c -> c.hashes().stream()).distinct().toList();
              String sha256 = WheelStore.sha256(wheels.fetch(wheel.link(), hashes));
              install.add(
                  new PlannedWheel(
                      name,
                      candidate.version().toString(),
                      wheel.link().filename(),
                      sha256,
                      wheel.link().source().toString(),
                      requiredBy));
              target
                  .installed(name)
                  .ifPresent(
                      base ->
                          warnings.add(
                              new PlanIssue(
                                  PlanIssue.Kind.SHADOWS_BASE,
                                  name,
                                  constraints.get(0).requirement().toString(),
                                  String.join("; ", requiredBy),
                                  "the base image has "
                                      + base.name()
                                      + " "
                                      + base.version()
                                      + "; "
                                      + candidate.version()
                                      + " is installed ahead of it (the base's own packages built against "
                                      + base.version()
                                      + " may break)",
                                  "use a dockerfileBaseImage that has "
                                      + name
                                      + " "
                                      + candidate.version()
                                      + ", or relax the pin to accept "
                                      + base.version())));
              wheel
                  .link()
                  .yanked()
                  .ifPresent(
                      reason ->
                          warnings.add(
                              new PlanIssue(
                                  PlanIssue.Kind.YANKED,
                                  name,
                                  name + "==" + candidate.version(),
                                  String.join("; ", requiredBy),
                                  "this release is yanked"
                                      + (reason.isBlank() ? "" : " (" + reason + ")"),
                                  "pin a release that is not yanked")));
            });
    provided.sort(Comparator.comparing(p -> p.name().toLowerCase(java.util.Locale.ROOT)));
    install.sort(Comparator.comparing(PlannedWheel::name));
    return new DependencyPlan(
        planTarget, provided, install, warnings, List.of(), notes, options.strict(), false);
  }

  private static Map<String, SpecifierSet> globalConstraints(
      DeclaredDependencies declared, MarkerEnvironment markers) {
    Map<String, SpecifierSet> constraints = new HashMap<>();
    for (DeclaredRequirement constraint : declared.constraints()) {
      if (constraint.requirement().appliesTo(markers, java.util.Set.of())) {
        constraints.merge(
            constraint.requirement().key(),
            constraint.requirement().specifier(),
            SpecifierSet::and);
      }
    }
    return constraints;
  }

  private boolean wheelsCached(DependencyPlan plan) {
    return plan.install().stream().allMatch(w -> cache.wheel(w.sha256(), w.filename()).isPresent());
  }

  /** The files of local find-links directories: adding a wheel there is a new input. */
  private static List<String> localWheels(PackageSources sources) {
    List<String> names = new ArrayList<>();
    for (var location : sources.links()) {
      if (location.isLocal()
          && java.nio.file.Files.isDirectory(java.nio.file.Path.of(location.uri()))) {
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of(location.uri()))) {
          files.map(f -> f.getFileName().toString()).sorted().forEach(names::add);
        } catch (java.io.IOException e) {
          names.add("(unreadable " + location + ")");
        }
      }
    }
    return names;
  }

  /** The resolution's cache key: declarations, target, sources without credentials, options. */
  static String key(
      DeclaredDependencies declared,
      TargetEnvironment target,
      PackageSources sources,
      PlanOptions options,
      boolean pre) {
    Map<String, Object> value = new TreeMap<>();
    value.put("format", FORMAT);
    value.put(
        "requirements",
        declared.requirements().stream()
            .map(r -> r.requirement() + " " + r.hashes() + " @" + r.origin())
            .sorted()
            .toList());
    value.put(
        "constraints",
        declared.constraints().stream().map(r -> r.requirement().toString()).sorted().toList());
    value.put(
        "python",
        declared.pythonPins().stream().map(p -> p.written() + " @" + p.origin()).sorted().toList());
    value.put(
        "conda",
        declared.condaOnly().stream().map(c -> c.written() + " @" + c.origin()).sorted().toList());
    value.put(
        "target",
        List.of(
            target.interpreter(),
            target.pythonVersion(),
            target.architecture(),
            target.libc().map(Object::toString).orElse("none")));
    value.put(
        "installed", target.installed().stream().map(d -> d.key() + "==" + d.version()).toList());
    value.put("sources", sources.fingerprint());
    value.put("local-wheels", localWheels(sources));
    value.put("options", List.of(options.allowLinuxTag(), pre));
    return CanonicalJson.sha256(value);
  }
}
