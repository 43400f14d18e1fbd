package org.odahu.pack.pydeps.declare;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything a model declares about its Python dependencies, merged from its conda.yaml,
 * requirements.txt and python_env.yaml.
 *
 * @param requirements what must be importable
 * @param constraints version limits ({@code -c} files) that apply only if something requires the
 *     package
 * @param pythonPins Python versions asked for
 * @param condaOnly conda packages that no Python index provides
 * @param notes things read but not used (conda build strings, pip's own entry, channels...)
 * @param sources package-source options from the files
 */
public record DeclaredDependencies(
    List<DeclaredRequirement> requirements,
    List<DeclaredRequirement> constraints,
    List<PythonPin> pythonPins,
    List<CondaOnlyPackage> condaOnly,
    List<String> notes,
    SourceDeclarations sources) {
  /** Nothing declared. */
  public static final DeclaredDependencies NONE =
      new DeclaredDependencies(
          List.of(), List.of(), List.of(), List.of(), List.of(), SourceDeclarations.NONE);

  /** Copies the lists. */
  public DeclaredDependencies {
    requirements = List.copyOf(requirements);
    constraints = List.copyOf(constraints);
    pythonPins = List.copyOf(pythonPins);
    condaOnly = List.copyOf(condaOnly);
    notes = List.copyOf(notes);
  }

  /** Both declarations together. */
  public DeclaredDependencies merge(DeclaredDependencies other) {
    return new DeclaredDependencies(
        concat(requirements, other.requirements),
        concat(constraints, other.constraints),
        concat(pythonPins, other.pythonPins),
        concat(condaOnly, other.condaOnly),
        concat(notes, other.notes),
        sources.merge(other.sources));
  }

  /** Whether nothing at all is declared. */
  public boolean isEmpty() {
    return requirements.isEmpty() && pythonPins.isEmpty() && condaOnly.isEmpty();
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
