package org.odahu.pack.pydeps.common;

/**
 * Progress of planning and installing, for a front end to show (the library prints nothing).
 * Messages never contain credentials.
 */
@FunctionalInterface
public interface DependencyListener {
  /** Does nothing. */
  DependencyListener NONE = message -> {};

  /** Something happened, e.g. {@code Downloading foo-1.0-py3-none-any.whl from https://...}. */
  void progress(String message);
}
