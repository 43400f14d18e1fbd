package org.odahu.pack.pydeps.tags;

/**
 * The C library of a target, which decides the {@code manylinux}/{@code musllinux} wheels it runs.
 *
 * @param family {@code glibc} or {@code musl}
 * @param major the major version (2 for glibc 2.36)
 * @param minor the minor version (36 for glibc 2.36)
 */
public record Libc(String family, int major, int minor) {
  /** glibc {@code major.minor}. */
  public static Libc glibc(int major, int minor) {
    return new Libc("glibc", major, minor);
  }

  /** musl {@code major.minor}. */
  public static Libc musl(int major, int minor) {
    return new Libc("musl", major, minor);
  }

  /** Whether this is glibc. */
  public boolean isGlibc() {
    return family.equals("glibc");
  }

  @Override
  public String toString() {
    return family + " " + major + "." + minor;
  }
}
