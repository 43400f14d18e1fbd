package org.odahu.pack.pydeps.resolve;

import java.net.URI;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Supplier;
import org.odahu.pack.pydeps.common.DependencyException;
import org.odahu.pack.pydeps.image.InstalledDistribution;
import org.odahu.pack.pydeps.image.TargetEnvironment;
import org.odahu.pack.pydeps.index.DistributionLink;
import org.odahu.pack.pydeps.index.PackageFinder;
import org.odahu.pack.pydeps.index.SourceLocation;
import org.odahu.pack.pydeps.pep440.SpecifierSet;
import org.odahu.pack.pydeps.pep440.Version;
import org.odahu.pack.pydeps.tags.TargetTags;
import org.odahu.pack.pydeps.tags.WheelFilename;

/**
 * The ways to meet the constraints on one project, best first: the base image's distribution when
 * it satisfies them, then the target-compatible wheels by version, highest first (best tag of each
 * version). Yanked releases are skipped unless an exact pin asks for one; sdists never qualify.
 */
public final class Candidates {
  private final PackageFinder finder;
  private final TargetEnvironment target;
  private final TargetTags tags;
  private final boolean prereleases;
  private final Map<String, SpecifierSet> globalConstraints;

  /**
   * @param finder the sources' files
   * @param target the target (its installed distributions come first)
   * @param tags the tags the target supports
   * @param prereleases whether pre-releases are acceptable ({@code --pre})
   * @param globalConstraints {@code -c} limits by normalised name
   */
  public Candidates(
      PackageFinder finder,
      TargetEnvironment target,
      TargetTags tags,
      boolean prereleases,
      Map<String, SpecifierSet> globalConstraints) {
    this.finder = finder;
    this.target = target;
    this.tags = tags;
    this.prereleases = prereleases;
    this.globalConstraints = Map.copyOf(globalConstraints);
  }

  /** The target. */
  TargetEnvironment target() {
    return target;
  }

  /** The tags of the target. */
  TargetTags tags() {
    return tags;
  }

  /** The files the sources offer for {@code name}. */
  List<DistributionLink> links(String name) {
    return finder.find(name);
  }

  /** The version clauses all constraints (and any {@code -c} limit) put on {@code name}. */
  SpecifierSet specifier(String name, List<Constraint> constraints) {
    SpecifierSet all = globalConstraints.getOrDefault(name, SpecifierSet.ANY);
    for (Constraint constraint : constraints) {
      all = all.and(constraint.requirement().specifier());
    }
    return all;
  }

  /**
   * The candidates for {@code name} under {@code constraints}, best first. When the base image's
   * distribution satisfies them, the sources are asked only if the caller looks past it (as pip
   * does not ask an index for a requirement already satisfied): packaging a model whose
   * dependencies the base provides needs no index, and works offline.
   */
  public List<Candidate> forName(String name, List<Constraint> constraints) {
    SpecifierSet specifier = specifier(name, constraints);
    Optional<Constraint> byUrl =
        constraints.stream().filter(c -> c.requirement().url() != null).findFirst();
    if (byUrl.isPresent()) {
      List<Candidate> direct = new ArrayList<>();
      usableDirect(byUrl.get(), name)
          .filter(w -> specifier.contains(w.version(), true))
          .ifPresent(direct::add);
      return direct;
    }
    Optional<InstalledDistribution> installed = target.installed(name);
    if (installed.isPresent() && specifier.contains(installed.get().version(), true)) {
      return new InstalledFirst(
          new Candidate.Installed(installed.get()), () -> wheels(name, constraints, specifier));
    }
    return wheels(name, constraints, specifier);
  }

  /** The sources' wheels for {@code name} meeting {@code specifier}, highest version first. */
  private List<Candidate> wheels(
      String name, List<Constraint> constraints, SpecifierSet specifier) {
    Map<Version, Candidate.Wheel> best =
        bestWheelPerVersion(name, allowedHashes(constraints), false);
    List<Version> versions =
        prereleases
            ? best.keySet().stream().filter(v -> specifier.contains(v, true)).toList()
            : specifier.filter(best.keySet());
    if (versions.isEmpty() && isExactPin(specifier)) {
      best = bestWheelPerVersion(name, allowedHashes(constraints), true); // PEP 592
      versions = best.keySet().stream().filter(v -> specifier.contains(v, true)).toList();
    }
    Map<Version, Candidate.Wheel> chosen = best;
    List<Candidate> candidates = new ArrayList<>();
    versions.stream().sorted(Comparator.reverseOrder()).forEach(v -> candidates.add(chosen.get(v)));
    return candidates;
  }

  /** The base's distribution, then the sources' wheels, looked up when first needed. */
  private static final class InstalledFirst extends AbstractList<Candidate> {
    private final Candidate installed;
    private final Supplier<List<Candidate>> others;
    private List<Candidate> rest;

    InstalledFirst(Candidate installed, Supplier<List<Candidate>> others) {
      this.installed = installed;
      this.others = others;
    }

    private List<Candidate> rest() {
      if (rest == null) {
        rest = others.get();
      }
      return rest;
    }

    @Override
    public Candidate get(int index) {
      return index == 0 ? installed : rest().get(index - 1);
    }

    @Override
    public int size() {
      return 1 + rest().size();
    }

    @Override
    public boolean isEmpty() {
      return false;
    }

    @Override
    public Iterator<Candidate> iterator() {
      return new Iterator<>() {
        private int next;

        @Override
        public boolean hasNext() {
          return next == 0 || next <= rest().size();
        }

        @Override
        public Candidate next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          return get(next++);
        }
      };
    }
  }

  private Map<Version, Candidate.Wheel> bestWheelPerVersion(
      String name, Set<String> hashes, boolean yanked) {
    Map<Version, Candidate.Wheel> best = new LinkedHashMap<>();
    Set<String> seen = new HashSet<>();
    for (DistributionLink link : finder.find(name)) {
      Optional<Candidate.Wheel> wheel = compatible(link, name);
      if (wheel.isEmpty() || link.yanked().isPresent() != yanked) {
        continue;
      }
      // Hashes first: the same file name on another source may be the file --hash allows.
      if (!hashes.isEmpty() && link.sha256().isPresent() && !hashes.contains(link.sha256().get())) {
        continue;
      }
      if (!seen.add(link.filename())) {
        continue;
      }
      best.merge(wheel.get().version(), wheel.get(), Candidates::better);
    }
    return best;
  }

  private static Candidate.Wheel better(Candidate.Wheel a, Candidate.Wheel b) {
    Comparator<Candidate.Wheel> order =
        Comparator.comparingInt(Candidate.Wheel::priority)
            .thenComparingLong(w -> -w.wheel().buildNumber())
            .thenComparing(w -> w.wheel().filename());
    return order.compare(a, b) <= 0 ? a : b;
  }

  /** {@code link} as a candidate if it is a wheel of {@code name} the target can run. */
  Optional<Candidate.Wheel> compatible(DistributionLink link, String name) {
    return pythonOk(link.requiresPython()) ? taggedFor(link, name) : Optional.empty();
  }

  /**
   * {@code link} as a candidate if it is a wheel of {@code name} whose tags the target supports,
   * whatever the {@code data-requires-python} of the link.
   */
  Optional<Candidate.Wheel> taggedFor(DistributionLink link, String name) {
    Optional<WheelFilename> wheel = link.wheel();
    if (wheel.isEmpty() || !wheel.get().name().equals(name)) {
      return Optional.empty();
    }
    OptionalInt priority = tags.priority(wheel.get());
    return priority.isPresent()
        ? Optional.of(new Candidate.Wheel(link, wheel.get(), priority.getAsInt()))
        : Optional.empty();
  }

  /**
   * Whether the target's Python satisfies a {@code Requires-Python}. One that cannot be read (not
   * PEP 440; blank clauses such as {@code >=3.12,} are read, as packaging reads them) passes, as
   * with pip: it ignores an invalid {@code data-requires-python} of a link (a debug message) and
   * reads an invalid {@code Requires-Python} in METADATA as no limit (a warning).
   */
  boolean pythonOk(String requiresPython) {
    if (requiresPython == null || requiresPython.isBlank()) {
      return true;
    }
    try {
      return SpecifierSet.parse(requiresPython)
          .contains(Version.parse(target.pythonVersion()), true);
    } catch (RuntimeException unreadable) {
      return true;
    }
  }

  /**
   * As {@link #direct}, but a package's own unusable direct reference (an sdist, a VCS URL, a wheel
   * of another project or platform) only makes that package no candidate, as pip passes over it;
   * one the model declared fails the plan, saying why.
   */
  private Optional<Candidate.Wheel> usableDirect(Constraint constraint, String name) {
    try {
      return direct(constraint, name);
    } catch (RuntimeException unusable) {
      if (constraint.declared()) {
        throw unusable;
      }
      return Optional.empty();
    }
  }

  /**
   * The wheel a direct reference ({@code name @ URL}) names, if the target can run it. A wheel of
   * another project is an error, as with pip ("has inconsistent name").
   */
  private Optional<Candidate.Wheel> direct(Constraint constraint, String name) {
    String url = constraint.requirement().url();
    SourceLocation location =
        SourceLocation.parse(url, "The URL of " + name + " (" + constraint.origin() + ")");
    URI uri = location.uri();
    String path = uri.getPath() == null ? "" : uri.getPath();
    DistributionLink link =
        new DistributionLink(
            path.substring(path.lastIndexOf('/') + 1),
            uri,
            sha256Fragment(url),
            "",
            Optional.empty(),
            false,
            Optional.empty(),
            location);
    Optional<WheelFilename> wheel = link.wheel();
    if (wheel.isPresent() && !wheel.get().name().equals(name)) {
      throw new DependencyException(
          constraint.requirement()
              + " ("
              + constraint.origin()
              + "): the wheel "
              + link.filename()
              + " is of the project '"
              + wheel.get().name()
              + "', not '"
              + name
              + "' (inconsistent name). Remedy: name the wheel's project before '@', or point"
              + " the URL at a wheel of '"
              + name
              + "'");
    }
    String refused =
        constraint.requirement() + " (" + constraint.origin() + "): " + link.filename();
    if (wheel.isEmpty()) {
      throw new DependencyException(
          refused
              + " is not a wheel; odahu-pack installs wheels only. Remedy: build one with 'pip"
              + " wheel' and point the URL at it");
    }
    if (taggedFor(link, name).isEmpty()) {
      // As pip refuses it ("is not a supported wheel on this platform"), before any index.
      throw new DependencyException(
          refused
              + " is not a supported wheel for "
              + target.describe()
              + ". Remedy: point the URL at a wheel for that Python and platform, or use a"
              + " dockerfileBaseImage that matches the wheel");
    }
    return compatible(link, name);
  }

  private static Optional<String> sha256Fragment(String url) {
    int at = url.indexOf("#sha256=");
    return at < 0
        ? Optional.empty()
        : Optional.of(url.substring(at + 8).toLowerCase(java.util.Locale.ROOT));
  }

  private static Set<String> allowedHashes(List<Constraint> constraints) {
    Set<String> allowed = null;
    for (Constraint constraint : constraints) {
      if (!constraint.hashes().isEmpty()) {
        Set<String> these = new HashSet<>(constraint.hashes());
        if (allowed == null) {
          allowed = these;
        } else {
          allowed.retainAll(these);
        }
      }
    }
    if (allowed == null) {
      return Set.of();
    }
    return allowed.isEmpty() ? Set.of("(no digest is allowed by every --hash)") : allowed;
  }

  private static boolean isExactPin(SpecifierSet specifier) {
    return specifier.clauses().stream()
        .anyMatch(
            c ->
                (c.operator().equals("==") && !c.version().endsWith(".*"))
                    || c.operator().equals("==="));
  }
}
