package org.odahu.pack.pydeps.tags;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The PEP 425 tags a CPython target supports, best first, as {@code packaging.tags.sys_tags} lists
 * them: {@code cp311-cp311-<platform>}, {@code cp311-abi3}, {@code cp311-none}, older {@code abi3},
 * then {@code py3*-none-<platform>} and finally {@code *-none-any}. Platforms are the {@code
 * manylinux_2_N} tags up to the target's glibc (with the legacy {@code manylinux1/2010/2014}
 * aliases) or {@code musllinux_1_N} up to its musl, and {@code linux_<arch>} only when asked.
 */
public final class TargetTags {
  private static final Set<String> MANYLINUX2014_ARCHS =
      Set.of("x86_64", "i686", "aarch64", "armv7l", "ppc64", "ppc64le", "s390x");

  private final Map<WheelTag, Integer> priorities;
  private final List<String> platforms;

  /**
   * The tags of CPython {@code major.minor} on {@code architecture} with {@code libc}.
   *
   * @param allowLinuxTag also accept {@code linux_<arch>} wheels (built for one machine only)
   */
  public TargetTags(int major, int minor, String architecture, Libc libc, boolean allowLinuxTag) {
    this.platforms = platforms(architecture, libc, allowLinuxTag);
    this.priorities = new LinkedHashMap<>();
    String cp = "cp" + major + minor;
    add(cp, cp);
    add(cp, "abi3");
    add(cp, "none");
    for (int older = minor - 1; older >= 2; older--) {
      add("cp" + major + older, "abi3");
    }
    List<String> pythons = new ArrayList<>(List.of("py" + major + minor, "py" + major));
    for (int older = minor - 1; older >= 0; older--) {
      pythons.add("py" + major + older);
    }
    pythons.forEach(python -> add(python, "none"));
    put(new WheelTag(cp, "none", "any"));
    pythons.forEach(python -> put(new WheelTag(python, "none", "any")));
  }

  private void add(String interpreter, String abi) {
    platforms.forEach(platform -> put(new WheelTag(interpreter, abi, platform)));
  }

  private void put(WheelTag tag) {
    priorities.putIfAbsent(tag, priorities.size());
  }

  private static List<String> platforms(String arch, Libc libc, boolean allowLinuxTag) {
    List<String> platforms = new ArrayList<>();
    if (libc != null && libc.isGlibc() && libc.major() == 2) {
      int oldest = arch.equals("x86_64") || arch.equals("i686") ? 5 : 17;
      for (int minor = libc.minor(); minor >= oldest; minor--) {
        platforms.add("manylinux_2_" + minor + "_" + arch);
        if (minor == 17 && MANYLINUX2014_ARCHS.contains(arch)) {
          platforms.add("manylinux2014_" + arch);
        } else if (minor == 12 && oldest == 5) {
          platforms.add("manylinux2010_" + arch);
        } else if (minor == 5) {
          platforms.add("manylinux1_" + arch);
        }
      }
    } else if (libc != null && libc.family().equals("musl") && libc.major() == 1) {
      for (int minor = libc.minor(); minor >= 0; minor--) {
        platforms.add("musllinux_1_" + minor + "_" + arch);
      }
    }
    if (allowLinuxTag) {
      platforms.add("linux_" + arch);
    }
    return List.copyOf(platforms);
  }

  /** The rank of the best tag of {@code wheel} this target supports (0 is best), or empty. */
  public OptionalInt priority(WheelFilename wheel) {
    return wheel.tags().stream()
        .map(priorities::get)
        .filter(java.util.Objects::nonNull)
        .mapToInt(Integer::intValue)
        .min();
  }

  /** The platform tags, best first (e.g. {@code manylinux_2_36_x86_64 ... manylinux1_x86_64}). */
  public List<String> platforms() {
    return platforms;
  }

  /** The best platform tag, or {@code any} when there is none. */
  public String bestPlatform() {
    return platforms.isEmpty() ? "any" : platforms.get(0);
  }
}
