package org.odahu.pack.pydeps.plan;

import java.util.List;

/**
 * The target a plan was made for, as the installed tree's cache key needs it.
 *
 * @param description e.g. {@code CPython 3.11.2 (/usr/bin/python3) on x86_64, glibc 2.36}
 * @param interpreter the interpreter's path in the image (console scripts' shebang)
 * @param implementation {@code cp}
 * @param pythonVersion e.g. {@code 3.11}
 * @param abi e.g. {@code cp311}
 * @param platforms the platform tags accepted, best first
 */
public record PlanTarget(
    String description,
    String interpreter,
    String implementation,
    String pythonVersion,
    String abi,
    List<String> platforms) {
  /** Copies the list. */
  public PlanTarget {
    platforms = List.copyOf(platforms);
  }
}
