package org.odahu.pack.pydeps.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.odahu.pack.pydeps.common.PlanIssue;

/**
 * What will happen to a model's Python dependencies in an image: what the base already provides,
 * which wheels will be installed from where, and what is wrong. Printed before the build; a plan
 * that is not {@link #ok()} stops the packaging.
 *
 * @param target the target the plan is for
 * @param provided requirements the base image meets
 * @param install wheels to install, sorted by name
 * @param warnings mismatches that may work (errors when {@code strict})
 * @param errors what cannot work
 * @param notes things worth knowing that are not problems
 * @param strict whether warnings fail the plan
 * @param reused whether the resolution was reused from the cache (no source was asked)
 */
public record DependencyPlan(
    PlanTarget target,
    List<ProvidedPackage> provided,
    List<PlannedWheel> install,
    List<PlanIssue> warnings,
    List<PlanIssue> errors,
    List<String> notes,
    boolean strict,
    boolean reused) {

  /** Copies the lists. */
  public DependencyPlan {
    provided = List.copyOf(provided);
    install = List.copyOf(install);
    warnings = List.copyOf(warnings);
    errors = List.copyOf(errors);
    notes = List.copyOf(notes);
  }

  /** Whether packaging may go on: no errors, and no warnings if strict. */
  public boolean ok() {
    return errors.isEmpty() && (!strict || warnings.isEmpty());
  }

  /** The problems that stop packaging: the errors, and the warnings if strict. */
  public List<PlanIssue> failures() {
    List<PlanIssue> failures = new ArrayList<>(errors);
    if (strict) {
      failures.addAll(warnings);
    }
    return failures;
  }

  /** This plan with the strict switch set as given. */
  public DependencyPlan withStrict(boolean strictness) {
    return new DependencyPlan(
        target, provided, install, warnings, errors, notes, strictness, reused);
  }

  /** This plan with {@code failures} as its errors. */
  public DependencyPlan withErrors(List<PlanIssue> failures) {
    return new DependencyPlan(target, provided, install, warnings, failures, notes, strict, reused);
  }

  /** This plan marked as reused from the cache. */
  public DependencyPlan asReused() {
    return new DependencyPlan(target, provided, install, warnings, errors, notes, strict, true);
  }

  /** Whether nothing needs installing. */
  public boolean isEmpty() {
    return install.isEmpty();
  }

  /** The plan as console text (no credentials: sources are redacted). */
  public String render() {
    StringBuilder out = new StringBuilder();
    out.append("Python dependencies for ").append(target.description());
    out.append(reused ? " (resolution reused from the cache)" : "").append('\n');
    if (provided.isEmpty() && install.isEmpty() && warnings.isEmpty() && errors.isEmpty()) {
      out.append("  nothing declared\n");
    }
    section(
        out,
        "provided by the base image",
        provided.stream()
            .map(
                p ->
                    String.format(
                        Locale.ROOT,
                        "%-28s %s  for %s",
                        p.name() + " " + p.version(),
                        p.location(),
                        String.join(", ", p.requiredBy())))
            .toList());
    section(
        out,
        "to install",
        install.stream()
            .map(
                w ->
                    String.format(
                        Locale.ROOT,
                        "%-28s %s  from %s",
                        w.name() + " " + w.version(),
                        w.filename(),
                        w.source()))
            .toList());
    section(
        out,
        strict ? "warnings (errors: strict)" : "warnings",
        warnings.stream().map(PlanIssue::line).toList());
    section(out, "errors", errors.stream().map(PlanIssue::line).toList());
    section(out, "notes", notes);
    return out.toString();
  }

  private static void section(StringBuilder out, String title, List<String> lines) {
    if (lines.isEmpty()) {
      return;
    }
    out.append("  ").append(title).append(" (").append(lines.size()).append("):\n");
    out.append(lines.stream().map(line -> "    " + line).collect(Collectors.joining("\n")))
        .append('\n');
  }
}
