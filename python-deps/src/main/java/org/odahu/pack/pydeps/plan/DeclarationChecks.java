package org.odahu.pack.pydeps.plan;

import java.util.ArrayList;
import java.util.List;
import org.odahu.pack.pydeps.common.PlanIssue;
import org.odahu.pack.pydeps.declare.CondaOnlyPackage;
import org.odahu.pack.pydeps.declare.DeclaredDependencies;
import org.odahu.pack.pydeps.declare.PythonPin;
import org.odahu.pack.pydeps.image.TargetEnvironment;
import org.odahu.pack.pydeps.pep440.Version;

/**
 * What the declarations ask for that no wheel can change: a Python version other than the base's,
 * and conda-only packages. Both are warnings: the model may well work anyway.
 */
final class DeclarationChecks {
  private DeclarationChecks() {}

  static List<PlanIssue> warnings(DeclaredDependencies declared, TargetEnvironment target) {
    List<PlanIssue> warnings = new ArrayList<>();
    Version python = Version.parse(target.pythonVersion());
    for (PythonPin pin : declared.pythonPins()) {
      if (!pin.versions().contains(python, true)) {
        warnings.add(
            new PlanIssue(
                PlanIssue.Kind.PYTHON_VERSION,
                "python",
                pin.written(),
                pin.origin(),
                "the base image has Python "
                    + target.pythonVersion()
                    + "; the dependencies are planned for Python "
                    + target.pythonMinor(),
                "use a dockerfileBaseImage with that Python, or declare the Python of the base image"));
      }
    }
    for (CondaOnlyPackage conda : declared.condaOnly()) {
      warnings.add(
          new PlanIssue(
              PlanIssue.Kind.CONDA_ONLY,
              conda.name(),
              conda.written(),
              conda.origin(),
              "a conda package no Python index provides; it is not installed, the base image must provide it",
              "use a dockerfileBaseImage that has it, or drop it from the conda file"));
    }
    return warnings;
  }
}
