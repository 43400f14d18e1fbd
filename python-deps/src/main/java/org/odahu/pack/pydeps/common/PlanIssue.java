package org.odahu.pack.pydeps.common;

/**
 * A problem in a dependency plan: an error that stops packaging, or a warning (an error with {@code
 * strict}).
 *
 * @param kind what kind of problem
 * @param project the project (or conda package) concerned, normalised
 * @param wanted what was asked for, e.g. {@code numpy==1.26.4} or {@code python=3.7}
 * @param origin where it was asked for, e.g. {@code requirements.txt:3 <- pandas 2.0.0}
 * @param message what is wrong
 * @param remedy what to do about it
 */
public record PlanIssue(
    Kind kind, String project, String wanted, String origin, String message, String remedy) {

  /** The kinds of problems. */
  public enum Kind {
    /** No source knows the project. */
    UNKNOWN_PACKAGE,
    /** Only source distributions exist, which are never built. */
    ONLY_SDIST,
    /** Wheels exist, none for the target's Python, ABI or platform. */
    NO_WHEEL_FOR_TARGET,
    /** Every release that matches requires another Python ({@code Requires-Python}). */
    REQUIRES_PYTHON,
    /** No release matches the version asked for. */
    NO_MATCHING_VERSION,
    /** No wheel has a digest its requirement's {@code --hash} allows. */
    HASH_MISMATCH,
    /** In hash-checking mode, a package installed without a pinned, hashed requirement. */
    HASH_REQUIRED,
    /** Requirements exclude each other. */
    CONFLICT,
    /** The declared Python version differs from the base image's. */
    PYTHON_VERSION,
    /** A conda package no Python index provides. */
    CONDA_ONLY,
    /** A package is installed ahead of a different version the base image has. */
    SHADOWS_BASE,
    /** An extra asked of a package is not one its METADATA declares (pip warns, installs). */
    UNKNOWN_EXTRA,
    /** A yanked release was chosen because a pin asks for exactly it. */
    YANKED,
    /** The resolver gave up. */
    TOO_COMPLEX
  }

  /** One line: what was wanted, where, what is wrong and the remedy. */
  public String line() {
    StringBuilder line = new StringBuilder(wanted);
    if (!origin.isEmpty()) {
      line.append(" (").append(origin).append(')');
    }
    line.append(": ").append(message);
    if (!remedy.isEmpty()) {
      line.append(". Remedy: ").append(remedy);
    }
    return line.toString();
  }
}
