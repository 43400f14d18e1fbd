package org.odahu.pack.pydeps.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.odahu.pack.pydeps.common.PlanIssue;
import org.odahu.pack.pydeps.declare.DeclaredDependencies;
import org.odahu.pack.pydeps.pep440.Specifier;
import org.odahu.pack.pydeps.pep508.Requirement;
import org.odahu.pack.pydeps.resolve.Constraint;

/**
 * pip's hash-checking mode, on with {@code --require-hashes} or as soon as one requirement has a
 * {@code --hash}: then every package installed must be a requirement of its own, pinned with {@code
 * ==} and hashed, dependencies included, so that a lock file that misses one cannot bring in
 * whatever an index serves. Packages the base image provides are not installed and need none.
 */
final class HashChecking {
  private HashChecking() {}

  /** Whether the mode is on for {@code declared}. */
  static boolean on(DeclaredDependencies declared, List<Constraint> roots) {
    return declared.sources().requireHashes()
        || roots.stream().anyMatch(root -> !root.hashes().isEmpty());
  }

  /** What the mode refuses in {@code plan}; each remedy is the line to write, with its hash. */
  static List<PlanIssue> errors(List<Constraint> roots, DependencyPlan plan) {
    Map<String, List<Constraint>> byName = new LinkedHashMap<>();
    roots.forEach(
        root -> byName.computeIfAbsent(root.requirement().key(), k -> new ArrayList<>()).add(root));
    List<PlanIssue> errors = new ArrayList<>();
    for (PlannedWheel wheel : plan.install()) {
      String line = wheel.name() + "==" + wheel.version() + " --hash=sha256:" + wheel.sha256();
      List<Constraint> own = byName.getOrDefault(wheel.name(), List.of());
      if (own.isEmpty()) {
        errors.add(
            issue(
                wheel.name(),
                wheel.name() + "==" + wheel.version(),
                String.join("; ", wheel.requiredBy()),
                "a dependency that is no requirement of its own; in hash-checking mode (pip's"
                    + " --require-hashes, on as soon as one requirement has --hash) every package"
                    + " installed must be listed, pinned with == and hashed",
                "add the line '" + line + "'"));
      } else if (own.stream().noneMatch(root -> pinned(root.requirement()))
          || own.stream().allMatch(root -> root.hashes().isEmpty())) {
        boolean direct = own.get(0).requirement().url() != null;
        errors.add(
            issue(
                wheel.name(),
                own.get(0).requirement().toString(),
                own.get(0).origin(),
                "in hash-checking mode (pip's --require-hashes, on as soon as one requirement has"
                    + " --hash) every requirement must be pinned with == and have a --hash",
                direct
                    ? "add --hash=sha256:" + wheel.sha256() + " to it"
                    : "write it as '" + line + "'"));
      }
    }
    return errors;
  }

  private static PlanIssue issue(
      String project, String wanted, String origin, String message, String remedy) {
    return new PlanIssue(PlanIssue.Kind.HASH_REQUIRED, project, wanted, origin, message, remedy);
  }

  /**
   * {@code ==} one version (no wildcard) or {@code ===}: what pip calls pinned; a wheel path or URL
   * names one file, which pip exempts too.
   */
  private static boolean pinned(Requirement requirement) {
    if (requirement.url() != null) {
      return true;
    }
    List<Specifier> clauses = requirement.specifier().clauses();
    if (clauses.size() != 1) {
      return false;
    }
    Specifier only = clauses.get(0);
    return only.operator().equals("===")
        || (only.operator().equals("==") && !only.version().contains("*"));
  }
}
