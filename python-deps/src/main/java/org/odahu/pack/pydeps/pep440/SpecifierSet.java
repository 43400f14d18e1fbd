package org.odahu.pack.pydeps.pep440;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A comma-separated set of PEP 440 clauses, all of which must hold. Pre-releases match only when a
 * clause names one, or when nothing but pre-releases would match ({@link #filter}).
 *
 * @param clauses the clauses; empty matches every final release
 */
public record SpecifierSet(List<Specifier> clauses) {
  /** The set without clauses. */
  public static final SpecifierSet ANY = new SpecifierSet(List.of());

  /** Copies the clauses. */
  public SpecifierSet {
    clauses = List.copyOf(clauses);
  }

  /**
   * Parses {@code >=1.0, <2}. Blank clauses are skipped, as packaging's {@code SpecifierSet}
   * (pip's) skips them: {@code >=3.12,} is {@code >=3.12}, and empty or blank text gives {@link
   * #ANY}.
   */
  public static SpecifierSet parse(String text) {
    List<Specifier> clauses = new ArrayList<>();
    for (String clause : text.split(",", -1)) {
      if (!clause.isBlank()) {
        clauses.add(Specifier.parse(clause));
      }
    }
    return new SpecifierSet(clauses);
  }

  /** Both sets' clauses. */
  public SpecifierSet and(SpecifierSet other) {
    List<Specifier> all = new ArrayList<>(clauses);
    other.clauses.stream().filter(c -> !all.contains(c)).forEach(all::add);
    return new SpecifierSet(all);
  }

  /** Whether some clause names a pre-release. */
  public boolean allowsPrereleases() {
    return clauses.stream().anyMatch(Specifier::mentionsPrerelease);
  }

  /** Whether {@code version} satisfies every clause, pre-releases only if a clause names one. */
  public boolean contains(Version version) {
    return contains(version, allowsPrereleases());
  }

  /** Whether {@code version} satisfies every clause, pre-releases allowed or not. */
  public boolean contains(Version version, boolean prereleases) {
    if (version.isPrerelease() && !prereleases) {
      return false;
    }
    return clauses.stream().allMatch(clause -> clause.contains(version));
  }

  /**
   * The versions that satisfy the set; if only pre-releases do (and no clause names one), those.
   */
  public List<Version> filter(Collection<Version> versions) {
    List<Version> finals = new ArrayList<>();
    List<Version> pres = new ArrayList<>();
    boolean prereleases = allowsPrereleases();
    for (Version version : versions) {
      if (contains(version, true)) {
        (version.isPrerelease() && !prereleases ? pres : finals).add(version);
      }
    }
    return finals.isEmpty() ? pres : finals;
  }

  /** Whether the set has no clause. */
  public boolean isEmpty() {
    return clauses.isEmpty();
  }

  @Override
  public String toString() {
    return clauses.stream().map(Specifier::toString).collect(Collectors.joining(","));
  }
}
