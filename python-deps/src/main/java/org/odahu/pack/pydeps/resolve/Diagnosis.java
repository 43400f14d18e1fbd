package org.odahu.pack.pydeps.resolve;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.odahu.pack.pydeps.common.PlanIssue;
import org.odahu.pack.pydeps.common.PlanIssue.Kind;
import org.odahu.pack.pydeps.image.InstalledDistribution;
import org.odahu.pack.pydeps.index.DistributionLink;
import org.odahu.pack.pydeps.pep440.SpecifierSet;
import org.odahu.pack.pydeps.pep440.Version;

/**
 * Explains why nothing meets the constraints on a project, in one line with a remedy: unknown
 * project, sdists only, releases for another Python, no wheel for the target, no matching version,
 * no wheel with an allowed hash, or requirements that exclude each other.
 */
final class Diagnosis {
  /** What is known about the project that failed. */
  private record Subject(
      String name,
      List<Constraint> constraints,
      SpecifierSet specifier,
      String origin,
      List<DistributionLink> links,
      List<DistributionLink> wheels,
      List<Version> compatible,
      Optional<InstalledDistribution> installed) {
    String wanted() {
      return name + specifier;
    }
  }

  private final Candidates candidates;
  private final String sources;
  private final Map<String, Map<Version, String>> otherPython;

  /**
   * @param candidates the candidates for each project
   * @param sources the sources, redacted, for messages
   * @param otherPython the wheels whose METADATA's Requires-Python excludes the target, by name and
   *     version, as the resolver found them
   */
  Diagnosis(Candidates candidates, String sources, Map<String, Map<Version, String>> otherPython) {
    this.candidates = candidates;
    this.sources = sources;
    this.otherPython = otherPython;
  }

  PlanIssue explain(String name, List<Constraint> constraints) {
    if (name == null) {
      return new PlanIssue(
          Kind.CONFLICT,
          "",
          "the requirements",
          "",
          "no combination of versions works",
          "pin the versions of the main packages");
    }
    List<DistributionLink> links = candidates.links(name);
    List<DistributionLink> wheels = links.stream().filter(l -> l.wheel().isPresent()).toList();
    List<Version> compatible =
        wheels.stream()
            .filter(l -> candidates.compatible(l, name).isPresent() && l.yanked().isEmpty())
            .map(l -> l.wheel().get().version())
            .distinct()
            .sorted()
            .toList();
    String origin =
        constraints.stream().map(Constraint::origin).distinct().collect(Collectors.joining("; "));
    Subject subject =
        new Subject(
            name,
            constraints,
            candidates.specifier(name, constraints),
            origin,
            links,
            wheels,
            compatible,
            candidates.target().installed(name));
    return unknown(subject)
        .or(() -> onlySdists(subject))
        .or(() -> anotherPython(subject))
        .or(() -> noWheelForTarget(subject))
        .or(() -> noMatch(subject))
        .or(() -> hashMismatch(subject))
        .orElseGet(
            () ->
                issue(
                    Kind.CONFLICT,
                    subject,
                    "no version works together with the other requirements: "
                        + describe(constraints),
                    "relax one of these pins"));
  }

  private Optional<PlanIssue> unknown(Subject s) {
    if (!s.links().isEmpty() || s.installed().isPresent()) {
      return Optional.empty();
    }
    return Optional.of(
        issue(
            Kind.UNKNOWN_PACKAGE,
            s,
            "no such project on " + sources,
            "check the name, or add the index that has it (pipExtraIndexUrls /"
                + " PIP_EXTRA_INDEX_URL)"));
  }

  private Optional<PlanIssue> onlySdists(Subject s) {
    if (!s.wheels().isEmpty() || s.links().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        issue(
            Kind.ONLY_SDIST,
            s,
            "only source distributions are available ("
                + files(s.links())
                + "); odahu-pack installs wheels and never builds packages",
            "build a wheel for "
                + targetName()
                + " ('pip wheel "
                + s.name()
                + "') and put it in a wheelhouse or an index, or use a dockerfileBaseImage that has "
                + s.name()));
  }

  /**
   * Every release that matches has wheels for the target's tags, but each requires another Python:
   * its link's {@code data-requires-python} or its METADATA's {@code Requires-Python} excludes the
   * target's version (pip: "requires a different Python").
   */
  private Optional<PlanIssue> anotherPython(Subject s) {
    Map<Version, String> excluded = new TreeMap<>();
    Set<Version> fine = new TreeSet<>();
    Map<Version, String> fromMetadata = otherPython.getOrDefault(s.name(), Map.of());
    for (DistributionLink link : s.wheels()) {
      if (candidates.taggedFor(link, s.name()).isEmpty()) {
        continue;
      }
      Version version = link.wheel().get().version();
      if (!s.specifier().contains(version, true)) {
        continue;
      }
      if (!candidates.pythonOk(link.requiresPython())) {
        excluded.putIfAbsent(version, link.requiresPython().strip());
      } else if (fromMetadata.containsKey(version)) {
        excluded.putIfAbsent(version, fromMetadata.get(version));
      } else {
        fine.add(version);
      }
    }
    excluded.keySet().removeAll(fine);
    if (excluded.isEmpty() || !fine.isEmpty()) {
      return Optional.empty();
    }
    Map<String, List<String>> byClause = new TreeMap<>();
    excluded.forEach(
        (version, clause) ->
            byClause.computeIfAbsent(clause, k -> new ArrayList<>()).add(version.toString()));
    String python = candidates.target().pythonVersion();
    List<Version> others =
        s.compatible().stream().filter(v -> !fromMetadata.containsKey(v)).toList();
    return Optional.of(
        issue(
            Kind.REQUIRES_PYTHON,
            s,
            (excluded.size() == 1
                    ? s.name() + " " + excluded.keySet().iterator().next()
                    : "every release that matches")
                + " requires a different Python: "
                + python
                + " not in "
                + byClause.entrySet().stream()
                    .map(
                        e ->
                            "'"
                                + e.getKey()
                                + "'"
                                + (excluded.size() == 1
                                    ? ""
                                    : " (" + String.join(", ", e.getValue()) + ")"))
                    .collect(Collectors.joining(", ")),
            "use a dockerfileBaseImage whose Python is in that range, or a version of "
                + s.name()
                + " for Python "
                + candidates.target().pythonMinor()
                + available(others)));
  }

  private Optional<PlanIssue> noWheelForTarget(Subject s) {
    if (!s.compatible().isEmpty() || s.wheels().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        issue(
            Kind.NO_WHEEL_FOR_TARGET,
            s,
            "no wheel for " + targetName() + " (wheels exist for " + tagsOf(s.wheels()) + ")",
            "use a dockerfileBaseImage whose Python and platform match those wheels, or a version"
                + " of "
                + s.name()
                + " with a wheel for Python "
                + candidates.target().pythonMinor()));
  }

  private Optional<PlanIssue> noMatch(Subject s) {
    if (!s.specifier().filter(s.compatible()).isEmpty()) {
      return Optional.empty();
    }
    boolean eachAlone =
        s.constraints().stream().map(Constraint::origin).distinct().count() > 1
            && s.constraints().stream()
                .allMatch(c -> !c.requirement().specifier().filter(s.compatible()).isEmpty());
    if (eachAlone) {
      return Optional.of(
          issue(
              Kind.CONFLICT,
              s,
              "no version satisfies all of " + describe(s.constraints()),
              "relax one of these pins"));
    }
    List<DistributionLink> matching =
        s.links().stream()
            .filter(l -> version(l).map(v -> s.specifier().contains(v, true)).orElse(false))
            .toList();
    String base =
        s.installed().map(d -> "; the base image has " + d.name() + " " + d.version()).orElse("");
    if (!matching.isEmpty() && matching.stream().allMatch(l -> l.yanked().isPresent())) {
      return Optional.of(
          issue(
              Kind.NO_MATCHING_VERSION,
              s,
              "the matching releases are yanked (" + files(matching) + ")" + base,
              "pin a release that is not yanked"));
    }
    if (!matching.isEmpty()) {
      return Optional.of(
          issue(
              Kind.NO_WHEEL_FOR_TARGET,
              s,
              "no wheel of that version for "
                  + targetName()
                  + " (only "
                  + files(matching)
                  + ")"
                  + base,
              "use a dockerfileBaseImage that has "
                  + s.wanted()
                  + " or a Python its wheels support, or relax the pin"
                  + available(s.compatible())));
    }
    return Optional.of(
        issue(
            Kind.NO_MATCHING_VERSION,
            s,
            s.installed().isPresent() && s.links().isEmpty()
                ? "the base image has "
                    + s.installed().get().name()
                    + " "
                    + s.installed().get().version()
                    + " and no source offers "
                    + s.wanted()
                    + " ("
                    + sources
                    + ")"
                : "no release matches"
                    + (s.compatible().isEmpty()
                        ? ""
                        : " (available for the target: " + versions(s.compatible()) + ")")
                    + base,
            "use a dockerfileBaseImage that provides "
                + s.wanted()
                + ", or relax the pin"
                + available(s.compatible())));
  }

  private Optional<PlanIssue> hashMismatch(Subject s) {
    Set<String> hashes = new TreeSet<>();
    s.constraints().forEach(c -> hashes.addAll(c.hashes()));
    List<DistributionLink> matching =
        s.wheels().stream()
            .filter(l -> l.sha256().isPresent() && candidates.compatible(l, s.name()).isPresent())
            .filter(l -> s.specifier().contains(l.wheel().get().version(), true))
            .toList();
    if (hashes.isEmpty() || matching.stream().anyMatch(l -> hashes.contains(l.sha256().get()))) {
      return Optional.empty();
    }
    String found =
        matching.stream()
            .map(l -> l.filename() + " has sha256 " + l.sha256().get())
            .collect(Collectors.joining(", "));
    return Optional.of(
        issue(
            Kind.HASH_MISMATCH,
            s,
            "no wheel matches its --hash (" + found + ")",
            "check the --hash values against the wheels of the index"));
  }

  private static PlanIssue issue(Kind kind, Subject s, String message, String remedy) {
    return new PlanIssue(kind, s.name(), s.wanted(), s.origin(), message, remedy);
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
