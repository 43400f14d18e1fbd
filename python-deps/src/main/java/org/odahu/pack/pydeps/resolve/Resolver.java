package org.odahu.pack.pydeps.resolve;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.odahu.pack.pydeps.common.PlanIssue;
import org.odahu.pack.pydeps.pep440.SpecifierSet;
import org.odahu.pack.pydeps.pep440.Version;
import org.odahu.pack.pydeps.pep508.CoreMetadata;
import org.odahu.pack.pydeps.pep508.MarkerEnvironment;
import org.odahu.pack.pydeps.pep508.Requirement;

/**
 * Chooses one candidate per required project, transitively, for the target: markers are evaluated
 * with the target's values, the base image's distribution is preferred when it satisfies every
 * constraint, otherwise the highest compatible version; on a dead end it backtracks to the last
 * choice (depth first, in the order projects were first required). Nothing of a package runs.
 */
public final class Resolver {
  /** The result: the chosen candidates, or the deepest failure explained. */
  public record Result(
      Map<String, Candidate> pins, Map<String, List<Constraint>> constraints, PlanIssue failure) {
    /** Whether resolution succeeded. */
    public boolean ok() {
      return failure == null;
    }
  }

  private final Candidates candidates;
  private final MetadataSource metadata;
  private final MarkerEnvironment markers;
  private final Diagnosis diagnosis;
  private final int budget;
  private int attempts;
  private int failureDepth = -1;
  private String failedName;
  private List<Constraint> failedConstraints;

  /** The wheels whose METADATA's Requires-Python excludes the target: name, version, clause. */
  private final Map<String, Map<Version, String>> otherPython = new HashMap<>();

  /**
   * @param candidates the candidates for each project
   * @param metadata where wheels' requirements come from
   * @param sources the sources, redacted, for messages
   * @param budget how many candidates may be tried before giving up
   */
  public Resolver(Candidates candidates, MetadataSource metadata, String sources, int budget) {
    this.candidates = candidates;
    this.metadata = metadata;
    this.markers = candidates.target().markers();
    this.diagnosis = new Diagnosis(candidates, sources, otherPython);
    this.budget = budget;
  }

  /** Explains why nothing meets {@code constraints} on {@code name} taken alone. */
  public PlanIssue explain(String name, List<Constraint> constraints) {
    return diagnosis.explain(name, constraints);
  }

  /** Resolves {@code roots} (their markers already true for the target). */
  public Result resolve(List<Constraint> roots) {
    State state = new State(Map.of(), Map.of(), Map.of(), Map.of());
    for (Constraint root : roots) {
      state = state.constrain(root);
    }
    try {
      State solved = solve(state, 0);
      if (solved != null) {
        return new Result(solved.pins, solved.constraints, null);
      }
    } catch (BudgetExhausted e) {
      return new Result(
          Map.of(),
          Map.of(),
          new PlanIssue(
              PlanIssue.Kind.TOO_COMPLEX,
              "",
              "the requirements",
              "",
              "no solution found after trying " + budget + " candidates",
              "pin the versions of the main packages"));
    }
    return new Result(Map.of(), Map.of(), diagnosis.explain(failedName, failedConstraints));
  }

  private State solve(State state, int depth) {
    String name = state.next();
    if (name == null) {
      return state;
    }
    List<Constraint> constraints = state.constraints.get(name);
    List<Candidate> options = candidates.forName(name, constraints);
    if (options.isEmpty()) {
      fail(depth, name, constraints);
    }
    boolean eachForAnotherPython = true;
    for (Candidate option : options) {
      if (++attempts > budget) {
        throw new BudgetExhausted();
      }
      Set<String> extras = extras(constraints);
      State next = expand(state.pin(name, option, extras), option, null, extras, depth);
      State solved = next == null ? null : solve(next, depth + 1);
      if (solved != null) {
        return solved;
      }
      eachForAnotherPython &= forAnotherPython(option);
    }
    if (!options.isEmpty() && eachForAnotherPython) {
      // No option got as far as its requirements: nothing deeper failed to name.
      fail(depth, name, constraints);
    }
    return null;
  }

  /**
   * Adds the requirements {@code candidate} has with {@code extras} and did not have with {@code
   * before} (null: none added yet). The base's own requirements are added as pip adds an installed
   * distribution's, so that a wheel installed over a base package keeps the base's other packages
   * working (scipy's {@code numpy<1.27} keeps numpy 2 out). One on a project the base lacks or does
   * not meet waits until something else requires that project: the base image is trusted as it is,
   * and nothing is installed for it alone.
   */
  private State expand(
      State state, Candidate candidate, Set<String> before, Set<String> extras, int depth) {
    List<Requirement> requirements = requirements(candidate);
    if (requirements == null) {
      return null;
    }
    String origin =
        candidate.name()
            + " "
            + candidate.version()
            + " <- "
            + state.constraints.get(candidate.name()).get(0).origin();
    State next = state;
    for (Requirement requirement : requirements) {
      boolean now = requirement.appliesTo(markers, extras);
      boolean already = before != null && requirement.appliesTo(markers, before);
      boolean baseOwn =
          candidate instanceof Candidate.Installed && requirement.appliesTo(markers, Set.of());
      Constraint constraint = new Constraint(requirement, origin, List.of());
      if (now && !already && baseOwn && waits(next, requirement)) {
        next = next.defer(constraint);
      } else if (now && !already) {
        next = add(next, constraint, depth);
        if (next == null) {
          return null;
        }
      }
    }
    return next;
  }

  /**
   * Whether the base's own {@code requirement} waits for another: nothing requires its project yet,
   * and the base has no distribution of it that meets it.
   */
  private boolean waits(State state, Requirement requirement) {
    if (state.constraints.containsKey(requirement.key())) {
      return false;
    }
    if (requirement.url() != null) {
      return true;
    }
    return candidates
        .target()
        .installed(requirement.key())
        .filter(d -> requirement.specifier().contains(d.version(), true))
        .isEmpty();
  }

  /** A wheel's requirements (null if its Requires-Python excludes the target). */
  private List<Requirement> requirements(Candidate candidate) {
    if (candidate instanceof Candidate.Installed installed) {
      return installed.distribution().requiresDist();
    }
    CoreMetadata core = metadata.metadata((Candidate.Wheel) candidate);
    String requiresPython = core.first("Requires-Python").orElse("");
    if (!candidates.pythonOk(requiresPython)) {
      otherPython
          .computeIfAbsent(candidate.name(), k -> new HashMap<>())
          .put(candidate.version(), requiresPython.strip());
      return null;
    }
    return core.requiresDist();
  }

  private boolean forAnotherPython(Candidate candidate) {
    return candidate instanceof Candidate.Wheel
        && otherPython.getOrDefault(candidate.name(), Map.of()).containsKey(candidate.version());
  }

  private State add(State state, Constraint constraint, int depth) {
    String name = constraint.requirement().key();
    State next = state.constrain(constraint);
    Candidate pinned = next.pins.get(name);
    if (pinned == null) {
      return next;
    }
    if (!satisfies(pinned, next.constraints.get(name))) {
      fail(depth, name, next.constraints.get(name));
      return null;
    }
    Set<String> done = next.extras.getOrDefault(name, Set.of());
    Set<String> wanted = new TreeSet<>(done);
    wanted.addAll(constraint.requirement().extras());
    if (wanted.equals(done)) {
      return next;
    }
    return expand(next.pin(name, pinned, wanted), pinned, done, wanted, depth);
  }

  private boolean satisfies(Candidate pinned, List<Constraint> constraints) {
    SpecifierSet specifier = candidates.specifier(pinned.name(), constraints);
    if (!specifier.contains(pinned.version(), true)) {
      return false;
    }
    return constraints.stream()
        .allMatch(
            c ->
                c.requirement().url() == null
                    || (pinned instanceof Candidate.Wheel w
                        && fileName(c.requirement().url()).equals(w.link().filename())));
  }

  /**
   * The file a direct reference's URL names, percent-decoded as the wheel's link name is ({@code
   * torch-2.0%2Bcpu-...whl} is {@code torch-2.0+cpu-...whl}).
   */
  private static String fileName(String url) {
    String path = url.split("[?#]", 2)[0];
    String last = path.substring(path.lastIndexOf('/') + 1);
    try {
      return URLDecoder.decode(last.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      return last;
    }
  }

  private static Set<String> extras(List<Constraint> constraints) {
    Set<String> extras = new TreeSet<>();
    constraints.forEach(c -> extras.addAll(c.requirement().extras()));
    return extras;
  }

  private void fail(int depth, String name, List<Constraint> constraints) {
    if (depth > failureDepth) {
      failureDepth = depth;
      failedName = name;
      failedConstraints = List.copyOf(constraints);
    }
  }

  /**
   * The decisions so far; copied on change so that backtracking just drops a state. {@code waiting}
   * holds the base's own requirements on projects nothing requires yet: they join a project's
   * constraints when something first requires it, whatever the order of the lines.
   */
  private record State(
      Map<String, Candidate> pins,
      Map<String, Set<String>> extras,
      Map<String, List<Constraint>> constraints,
      Map<String, List<Constraint>> waiting) {
    State constrain(Constraint constraint) {
      String key = constraint.requirement().key();
      List<Constraint> added = new ArrayList<>(List.of(constraint));
      if (!constraints.containsKey(key)) {
        added.addAll(waiting.getOrDefault(key, List.of()));
      }
      return new State(pins, extras, appended(constraints, key, added), waiting);
    }

    State defer(Constraint constraint) {
      String key = constraint.requirement().key();
      return new State(pins, extras, constraints, appended(waiting, key, List.of(constraint)));
    }

    /** A copy of {@code lists} with {@code added} after {@code key}'s list. */
    private static Map<String, List<Constraint>> appended(
        Map<String, List<Constraint>> lists, String key, List<Constraint> added) {
      Map<String, List<Constraint>> all = new LinkedHashMap<>(lists);
      List<Constraint> list = new ArrayList<>(all.getOrDefault(key, List.of()));
      list.addAll(added);
      all.put(key, List.copyOf(list));
      return all;
    }

    State pin(String name, Candidate candidate, Set<String> with) {
      Map<String, Candidate> newPins = new LinkedHashMap<>(pins);
      newPins.put(name, candidate);
      Map<String, Set<String>> newExtras = new LinkedHashMap<>(extras);
      newExtras.put(name, Set.copyOf(with));
      return new State(newPins, newExtras, constraints, waiting);
    }

    String next() {
      return constraints.keySet().stream()
          .filter(name -> !pins.containsKey(name))
          .findFirst()
          .orElse(null);
    }
  }

  private static final class BudgetExhausted extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BudgetExhausted() {
      super(null, null, false, false);
    }
  }
}
