package org.odahu.pack.pydeps.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.odahu.pack.pydeps.cache.DependencyCache;
import org.odahu.pack.pydeps.common.DependencyListener;
import org.odahu.pack.pydeps.common.PlanIssue;
import org.odahu.pack.pydeps.declare.DeclaredDependencies;
import org.odahu.pack.pydeps.declare.DeclaredRequirement;
import org.odahu.pack.pydeps.image.TargetEnvironment;
import org.odahu.pack.pydeps.index.PackageFinder;
import org.odahu.pack.pydeps.index.PackageSources;
import org.odahu.pack.pydeps.pep440.SpecifierSet;
import org.odahu.pack.pydeps.pep508.MarkerEnvironment;
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
    String key = ResolutionKey.of(declared, target, effective, options, pre);
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
    List<String> notes = new ArrayList<>(declared.notes());
    notes.addAll(target.notes());
    List<Constraint> roots = roots(declared, target, notes);
    DependencyPlan draft =
        new DependencyPlan(
            new PlanTarget(
                target.describe(),
                target.interpreter(),
                "cp",
                target.pythonMinor(),
                target.abi(),
                tags.platforms()),
            List.of(),
            List.of(),
            DeclarationChecks.warnings(declared, target),
            List.of(),
            notes,
            options.strict(),
            false);
    if (roots.isEmpty()) {
      return draft;
    }
    PackageFinder finder = new PackageFinder(effective);
    Candidates candidates =
        new Candidates(finder, target, tags, pre, globalConstraints(declared, target.markers()));
    WheelStore wheels = new WheelStore(finder, cache, listener);
    Resolver resolver = new Resolver(candidates, wheels, effective.toString(), options.budget());
    List<PlanIssue> errors = preflight(roots, candidates, resolver);
    if (!errors.isEmpty()) {
      return draft.withErrors(errors);
    }
    listener.progress("Resolving " + roots.size() + " requirements for " + target.describe());
    Resolver.Result result = resolver.resolve(roots);
    if (!result.ok()) {
      return draft.withErrors(List.of(result.failure()));
    }
    DependencyPlan plan = PlanOutcome.of(result, target, wheels, draft);
    if (!HashChecking.on(declared, roots)) {
      return plan;
    }
    List<PlanIssue> unhashed = new ArrayList<>(plan.errors());
    unhashed.addAll(HashChecking.errors(roots, plan));
    return plan.withErrors(unhashed);
  }

  /** The declared requirements whose markers hold for the target; a note for each other one. */
  private static List<Constraint> roots(
      DeclaredDependencies declared, TargetEnvironment target, List<String> notes) {
    MarkerEnvironment markers = target.markers();
    List<Constraint> roots = new ArrayList<>();
    for (DeclaredRequirement requirement : declared.requirements()) {
      if (requirement.requirement().appliesTo(markers, Set.of())) {
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
    return roots;
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

  private static Map<String, SpecifierSet> globalConstraints(
      DeclaredDependencies declared, MarkerEnvironment markers) {
    Map<String, SpecifierSet> constraints = new HashMap<>();
    for (DeclaredRequirement constraint : declared.constraints()) {
      if (constraint.requirement().appliesTo(markers, Set.of())) {
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
}
