package org.odahu.pack.packager.image;

/** Receives what a build reports; front ends render it (plain lines, a progress bar). */
public interface PackagingListener {
  /** A listener that ignores everything. */
  PackagingListener NONE = new PackagingListener() {};

  /** A step started, e.g. "Building the Java runtime layer". */
  default void step(String description) {}

  /** Overall build progress, from 0 to 1. */
  default void progress(double fraction) {}

  /** A detail worth a line in verbose mode. */
  default void detail(String message) {}

  /** Something the user should know. */
  default void warning(String message) {}
}
