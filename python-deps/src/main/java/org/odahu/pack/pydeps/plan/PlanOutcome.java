package org.odahu.pack.pydeps.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.odahu.pack.pydeps.common.PlanIssue;
import org.odahu.pack.pydeps.image.InstalledDistribution;
import org.odahu.pack.pydeps.image.TargetEnvironment;
import org.odahu.pack.pydeps.pep508.ProjectNames;
import org.odahu.pack.pydeps.resolve.Candidate;
import org.odahu.pack.pydeps.resolve.Constraint;
import org.odahu.pack.pydeps.resolve.Resolver;

/**
 * Turns a resolution into a plan: the base's distributions as provided, the wheels (fetched into
 * the cache, digests checked) to install, and a warning for each wheel that shadows a different
 * version the base has, that is a yanked release an exact pin asked for, or that lacks an extra
 * asked of it.
 */
final class PlanOutcome {
  private final List<ProvidedPackage> provided = new ArrayList<>();
  private final List<PlannedWheel> install = new ArrayList<>();
  private final List<PlanIssue> warnings;
  private final TargetEnvironment target;
  private final WheelStore wheels;

  private PlanOutcome(TargetEnvironment target, WheelStore wheels, List<PlanIssue> warnings) {
    this.target = target;
    this.wheels = wheels;
    this.warnings = new ArrayList<>(warnings);
  }

  static DependencyPlan of(
      Resolver.Result result, TargetEnvironment target, WheelStore wheels, DependencyPlan draft) {
    PlanOutcome outcome = new PlanOutcome(target, wheels, draft.warnings());
    result.pins().forEach((name, pin) -> outcome.add(name, pin, result.constraints().get(name)));
    outcome.provided.sort(Comparator.comparing(p -> p.name().toLowerCase(Locale.ROOT)));
    outcome.install.sort(Comparator.comparing(PlannedWheel::name));
    return new DependencyPlan(
        draft.target(),
        outcome.provided,
        outcome.install,
        outcome.warnings,
        List.of(),
        draft.notes(),
        draft.strict(),
        false);
  }

  private void add(String name, Candidate pin, List<Constraint> constraints) {
    List<String> requiredBy = constraints.stream().map(Constraint::origin).distinct().toList();
    if (pin instanceof Candidate.Installed installed) {
      String metadata = installed.distribution().metadata();
      String location = metadata.substring(0, metadata.lastIndexOf('/'));
      provided.add(
          new ProvidedPackage(
              installed.distribution().name(), pin.version().toString(), location, requiredBy));
      return;
    }
    Candidate.Wheel wheel = (Candidate.Wheel) pin;
    List<String> hashes =
        constraints.stream().flatMap(c -> c.hashes().stream()).distinct().toList();
    String sha256 = WheelStore.sha256(wheels.fetch(wheel.link(), hashes));
    String version = pin.version().toString();
    install.add(
        new PlannedWheel(
            name,
            version,
            wheel.link().filename(),
            sha256,
            wheel.link().source().toString(),
            requiredBy));
    String origin = String.join("; ", requiredBy);
    target
        .installed(name)
        .ifPresent(base -> warnings.add(shadows(name, version, base, constraints, origin)));
    unknownExtras(name, version, wheel, constraints, origin).ifPresent(warnings::add);
    wheel
        .link()
        .yanked()
        .ifPresent(
            reason ->
                warnings.add(
                    new PlanIssue(
                        PlanIssue.Kind.YANKED,
                        name,
                        name + "==" + version,
                        origin,
                        "this release is yanked" + (reason.isBlank() ? "" : " (" + reason + ")"),
                        "pin a release that is not yanked")));
  }

  /**
   * The extras asked of {@code wheel} that its METADATA does not declare (pip warns "does not
   * provide the extra"): installed without them, which may well be a typo.
   */
  private Optional<PlanIssue> unknownExtras(
      String name,
      String version,
      Candidate.Wheel wheel,
      List<Constraint> constraints,
      String origin) {
    Set<String> provided = new TreeSet<>();
    wheels.metadata(wheel).all("Provides-Extra").stream()
        .filter(extra -> !extra.isBlank())
        .forEach(extra -> provided.add(ProjectNames.normalize(extra)));
    Set<String> unknown = new TreeSet<>();
    Constraint asking = null;
    for (Constraint constraint : constraints) {
      for (String extra : constraint.requirement().extras()) {
        if (!provided.contains(extra) && unknown.add(extra) && asking == null) {
          asking = constraint;
        }
      }
    }
    if (asking == null) {
      return Optional.empty();
    }
    return Optional.of(
        new PlanIssue(
            PlanIssue.Kind.UNKNOWN_EXTRA,
            name,
            asking.requirement().toString(),
            origin,
            name
                + " "
                + version
                + " does not provide the extra"
                + (unknown.size() == 1 ? " " : "s ")
                + unknown.stream().map(e -> "'" + e + "'").collect(Collectors.joining(", "))
                + "; it is installed without "
                + (unknown.size() == 1 ? "it" : "them"),
            provided.isEmpty()
                ? "drop the extra: " + name + " " + version + " has none"
                : "check the name ("
                    + name
                    + " "
                    + version
                    + " provides "
                    + String.join(", ", provided)
                    + ")"));
  }

  private static PlanIssue shadows(
      String name,
      String version,
      InstalledDistribution base,
      List<Constraint> constraints,
      String origin) {
    return new PlanIssue(
        PlanIssue.Kind.SHADOWS_BASE,
        name,
        constraints.get(0).requirement().toString(),
        origin,
        "the base image has "
            + base.name()
            + " "
            + base.version()
            + "; "
            + version
            + " is installed ahead of it (the base's own packages built against "
            + base.version()
            + " may break)",
        "use a dockerfileBaseImage that has "
            + name
            + " "
            + version
            + ", or relax the pin to accept "
            + base.version());
  }
}
