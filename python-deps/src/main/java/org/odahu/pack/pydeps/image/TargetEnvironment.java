package org.odahu.pack.pydeps.image;

import java.util.List;
import java.util.Optional;
import org.odahu.pack.pydeps.pep508.MarkerEnvironment;
import org.odahu.pack.pydeps.pep508.ProjectNames;
import org.odahu.pack.pydeps.tags.Libc;
import org.odahu.pack.pydeps.tags.TargetTags;

/**
 * The Python that dependencies are planned for: the base image's interpreter, version, machine, C
 * library and the distributions it already has.
 *
 * @param interpreter the interpreter's path in the image as the workers find it (the shebang of
 *     console scripts), e.g. {@code /usr/bin/python3}
 * @param pythonVersion the full version, e.g. {@code 3.11.2}
 * @param architecture the machine, e.g. {@code x86_64}
 * @param libc the C library, or empty when none was found (only pure-Python wheels then)
 * @param sitePackages the interpreter's site directories in the image, first wins
 * @param installed the distributions found there
 * @param notes how things were found when it was not obvious
 */
public record TargetEnvironment(
    String interpreter,
    String pythonVersion,
    String architecture,
    Optional<Libc> libc,
    List<String> sitePackages,
    List<InstalledDistribution> installed,
    List<String> notes) {

  /** Copies the lists. */
  public TargetEnvironment {
    sitePackages = List.copyOf(sitePackages);
    installed = List.copyOf(installed);
    notes = List.copyOf(notes);
  }

  /** The major version (3). */
  public int major() {
    return Integer.parseInt(pythonVersion.split("\\.", -1)[0]);
  }

  /** The minor version (11). */
  public int minor() {
    return Integer.parseInt(pythonVersion.split("\\.", -1)[1]);
  }

  /** {@code 3.11}. */
  public String pythonMinor() {
    return major() + "." + minor();
  }

  /** The CPython ABI tag, e.g. {@code cp311}. */
  public String abi() {
    return "cp" + major() + minor();
  }

  /** The values markers are evaluated against. */
  public MarkerEnvironment markers() {
    return MarkerEnvironment.linuxCPython(pythonVersion, architecture);
  }

  /** The wheel tags this target runs, best first. */
  public TargetTags tags(boolean allowLinuxTag) {
    return new TargetTags(major(), minor(), architecture, libc.orElse(null), allowLinuxTag);
  }

  /** The distribution named {@code name} (any spelling), if the base has it. */
  public Optional<InstalledDistribution> installed(String name) {
    String key = ProjectNames.normalize(name);
    return installed.stream().filter(d -> d.key().equals(key)).findFirst();
  }

  /** E.g. {@code CPython 3.11.2 (/usr/bin/python3) on x86_64, glibc 2.36}. */
  public String describe() {
    return "CPython "
        + pythonVersion
        + " ("
        + interpreter
        + ") on "
        + architecture
        + libc.map(l -> ", " + l).orElse(", no C library found");
  }
}
