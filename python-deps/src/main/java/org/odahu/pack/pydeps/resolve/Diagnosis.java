package org.odahu.pack.pydeps.resolve;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.odahu.pack.pydeps.image.InstalledDistribution;
import org.odahu.pack.pydeps.index.DistributionLink;
import org.odahu.pack.pydeps.pep440.SpecifierSet;
import org.odahu.pack.pydeps.pep440.Version;
import org.odahu.pack.pydeps.plan.PlanIssue;
import org.odahu.pack.pydeps.plan.PlanIssue.Kind;

/**
 * Explains why nothing meets the constraints on a project, in one line with a remedy: unknown
 * project, sdists only, no wheel for the target, no matching version, or requirements that exclude
 * each other.
 */
final class Diagnosis {
  private final Candidates candidates;
  private final String sources;

  Diagnosis(Candidates candidates, String sources) {
    this.candidates = candidates;
    this.sources = sources;
  }

  PlanIssue explain(String name, List<Constraint> constraints) {
    SpecifierSet specifier = candidates.specifier(name, constraints);
    String wanted = name + specifier;
    String origin =
        constraints.stream().map(Constraint::origin).distinct().collect(Collectors.joining("; "));
    List<DistributionLink> links = candidates.links(name);
    Optional<InstalledDistribution> installed = candidates.target().installed(name);
    String target = targetName();
    if (links.isEmpty() && installed.isEmpty()) {
      return new PlanIssue(
          Kind.UNKNOWN_PACKAGE,
          name,
          wanted,
          origin,
          "no such project on " + sources,
          "check the name, or add the index that has it (pipExtraIndexUrls / PIP_EXTRA_INDEX_URL)");
    }
    List<DistributionLink> wheels = links.stream().filter(l -> l.wheel().isPresent()).toList();
    if (wheels.isEmpty() && !links.isEmpty()) {
      return new PlanIssue(
          Kind.ONLY_SDIST,
          name,
          wanted,
          origin,
          "only source distributions are available ("
              + files(links)
              + "); odahu-pack installs wheels and never builds packages",
          "build a wheel for "
              + target
              + " ('pip wheel "
              + name
              + "') and put it in a wheelhouse or an index, or use a dockerfileBaseImage that has "
              + name);
    }
    List<Version> compatible =
        wheels.stream()
            .filter(l -> candidates.compatible(l, name).isPresent() && l.yanked().isEmpty())
            .map(l -> l.wheel().get().version())
            .distinct()
            .sorted()
            .toList();
    if (compatible.isEmpty() && !wheels.isEmpty()) {
      return new PlanIssue(
          Kind.NO_WHEEL_FOR_TARGET,
          name,
          wanted,
          origin,
          "no wheel for " + target + " (wheels exist for " + tagsOf(wheels) + ")",
          "use a dockerfileBaseImage whose Python and platform match those wheels, or a version of "
              + name
              + " with a wheel for Python "
              + candidates.target().pythonMinor());
    }
    if (specifier.filter(compatible).isEmpty()) {
      return noMatch(name, specifier, wanted, origin, constraints, links, compatible, installed);
    }
    Optional<PlanIssue> hashes = hashMismatch(name, specifier, wanted, origin, constraints, wheels);
    if (hashes.isPresent()) {
      return hashes.get();
    }
    return new PlanIssue(
        Kind.CONFLICT,
        name,
        wanted,
        origin,
        "no version works together with the other requirements: " + describe(constraints),
        "relax one of these pins");
  }

  private PlanIssue noMatch(
      String name,
      SpecifierSet specifier,
      String wanted,
      String origin,
      List<Constraint> constraints,
      List<DistributionLink> links,
      List<Version> compatible,
      Optional<InstalledDistribution> installed) {
    Set<String> origins = constraints.stream().map(Constraint::origin).collect(Collectors.toSet());
    boolean eachAlone =
        origins.size() > 1
            && constraints.stream()
                .allMatch(c -> !c.requirement().specifier().filter(compatible).isEmpty());
    if (eachAlone) {
      return new PlanIssue(
          Kind.CONFLICT,
          name,
          wanted,
          origin,
          "no version satisfies all of " + describe(constraints),
          "relax one of these pins");
    }
    List<DistributionLink> matching =
        links.stream()
            .filter(l -> version(l).map(v -> specifier.contains(v, true)).orElse(false))
            .toList();
    String base =
        installed.map(d -> "; the base image has " + d.name() + " " + d.version()).orElse("");
    if (!matching.isEmpty() && matching.stream().allMatch(l -> l.yanked().isPresent())) {
      return new PlanIssue(
          Kind.NO_MATCHING_VERSION,
          name,
          wanted,
          origin,
          "the matching releases are yanked (" + files(matching) + ")" + base,
          "pin a release that is not yanked");
    }
    if (!matching.isEmpty()) {
      return new PlanIssue(
          Kind.NO_WHEEL_FOR_TARGET,
          name,
          wanted,
          origin,
          "no wheel of that version for " + targetName() + " (only " + files(matching) + ")" + base,
          "use a dockerfileBaseImage that has "
              + wanted
              + " or a Python its wheels support, or relax the pin"
              + available(compatible));
    }
    String message =
        installed.isPresent() && links.isEmpty()
            ? "the base image has "
                + installed.get().name()
                + " "
                + installed.get().version()
                + " and no source offers "
                + wanted
                + " ("
                + sources
                + ")"
            : "no release matches"
                + (compatible.isEmpty()
                    ? ""
                    : " (available for the target: " + versions(compatible) + ")")
                + base;
    return new PlanIssue(
        Kind.NO_MATCHING_VERSION,
        name,
        wanted,
        origin,
        message,
        "use a dockerfileBaseImage that provides "
            + wanted
            + ", or relax the pin"
            + available(compatible));
  }

  private Optional<PlanIssue> hashMismatch(
      String name,
      SpecifierSet specifier,
      String wanted,
      String origin,
      List<Constraint> constraints,
      List<DistributionLink> wheels) {
    Set<String> hashes = new TreeSet<>();
    constraints.forEach(c -> hashes.addAll(c.hashes()));
    List<DistributionLink> matching =
        wheels.stream()
            .filter(l -> l.sha256().isPresent() && candidates.compatible(l, name).isPresent())
            .filter(l -> specifier.contains(l.wheel().get().version(), true))
            .toList();
    if (hashes.isEmpty() || matching.stream().anyMatch(l -> hashes.contains(l.sha256().get()))) {
      return Optional.empty();
    }
    String found =
        matching.stream()
            .map(l -> l.filename() + " has sha256 " + l.sha256().get())
            .collect(Collectors.joining(", "));
    return Optional.of(
        new PlanIssue(
            Kind.HASH_MISMATCH,
            name,
            wanted,
            origin,
            "no wheel matches its --hash (" + found + ")",
            "check the --hash values against the wheels of the index"));
  }

  private static Optional<Version> version(DistributionLink link) {
    if (link.wheel().isPresent()) {
      return Optional.of(link.wheel().get().version());
    }
    String stem =
        link.filename()
            .replaceAll("(\\.tar\\.gz|\\.tar\\.bz2|\\.tar\\.xz|\\.zip|\\.tgz|\\.tar)$", "");
    int dash = stem.lastIndexOf('-');
    return dash < 0 ? Optional.empty() : Version.tryParse(stem.substring(dash + 1));
  }

  private String targetName() {
    var target = candidates.target();
    return "CPython "
        + target.pythonMinor()
        + " ("
        + target.abi()
        + ", "
        + candidates.tags().bestPlatform()
        + ")";
  }

  private static String available(List<Version> compatible) {
    return compatible.isEmpty()
        ? ""
        : " (versions with a wheel for the target: " + versions(compatible) + ")";
  }

  private static String versions(List<Version> versions) {
    List<String> shown = versions.stream().map(Version::toString).toList();
    return shown.size() <= 6
        ? String.join(", ", shown)
        : "..., " + String.join(", ", shown.subList(shown.size() - 6, shown.size()));
  }

  private static String files(List<DistributionLink> links) {
    Set<String> names = new LinkedHashSet<>();
    links.forEach(l -> names.add(l.filename()));
    List<String> shown = List.copyOf(names);
    return shown.size() <= 3
        ? String.join(", ", shown)
        : String.join(", ", shown.subList(0, 3)) + ", ...";
  }

  private static String tagsOf(List<DistributionLink> wheels) {
    Set<String> tags = new TreeSet<>();
    wheels.forEach(w -> w.wheel().get().tags().forEach(t -> tags.add(t.toString())));
    List<String> shown = List.copyOf(tags);
    return shown.size() <= 4
        ? String.join(", ", shown)
        : String.join(", ", shown.subList(0, 4)) + ", ...";
  }

  private static String describe(List<Constraint> constraints) {
    return constraints.stream()
        .map(Constraint::describe)
        .distinct()
        .collect(Collectors.joining(", "));
  }
}
