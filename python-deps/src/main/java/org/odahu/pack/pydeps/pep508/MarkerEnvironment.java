package org.odahu.pack.pydeps.pep508;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The values PEP 508 markers are evaluated against: those of the <em>target</em> interpreter (the
 * base image's Python), never the build host's.
 *
 * @param values the marker variables ({@code python_version}, {@code sys_platform}...)
 */
public record MarkerEnvironment(Map<String, String> values) {
  /** The variables PEP 508 defines (besides {@code extra}). */
  public static final Set<String> VARIABLES =
      Set.of(
          "os_name",
          "sys_platform",
          "platform_machine",
          "platform_python_implementation",
          "platform_release",
          "platform_system",
          "platform_version",
          "python_version",
          "python_full_version",
          "implementation_name",
          "implementation_version");

  /** Copies the values. */
  public MarkerEnvironment {
    values = Map.copyOf(values);
  }

  /**
   * The environment of CPython {@code fullVersion} (e.g. {@code 3.11.2}) on Linux {@code machine}
   * (e.g. {@code x86_64}). The kernel's release and version are unknown at build time: they are
   * empty.
   */
  public static MarkerEnvironment linuxCPython(String fullVersion, String machine) {
    String[] parts = fullVersion.split("\\.", -1);
    Map<String, String> values = new LinkedHashMap<>();
    values.put("os_name", "posix");
    values.put("sys_platform", "linux");
    values.put("platform_machine", machine);
    values.put("platform_python_implementation", "CPython");
    values.put("platform_release", "");
    values.put("platform_system", "Linux");
    values.put("platform_version", "");
    values.put("python_version", parts[0] + "." + parts[1]);
    values.put("python_full_version", fullVersion);
    values.put("implementation_name", "cpython");
    values.put("implementation_version", fullVersion);
    return new MarkerEnvironment(values);
  }

  /** The value of {@code variable}, empty when unknown. */
  public String get(String variable) {
    return values.getOrDefault(variable, "");
  }
}
