package org.odahu.pack.pydeps;

import java.util.stream.Collectors;
import org.odahu.pack.pydeps.common.DependencyException;
import org.odahu.pack.pydeps.common.PlanIssue;
import org.odahu.pack.pydeps.plan.DependencyPlan;

/** A dependency plan has errors (or warnings, when strict): nothing is installed. */
public final class UnsatisfiedDependenciesException extends DependencyException {
  private static final long serialVersionUID = 1L;

  private final transient DependencyPlan plan;

  /** The failures of {@code plan}, one line each. */
  public UnsatisfiedDependenciesException(DependencyPlan plan) {
    super(plan.failures().stream().map(PlanIssue::line).collect(Collectors.joining("\n")));
    this.plan = plan;
  }

  /** The plan. */
  public DependencyPlan plan() {
    return plan;
  }
}
