package org.odahu.pack.pydeps.pep508;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MarkerTest {
  private static final MarkerEnvironment CPYTHON_311 =
      MarkerEnvironment.linuxCPython("3.11.2", "x86_64");
  private static final MarkerEnvironment CPYTHON_39 =
      MarkerEnvironment.linuxCPython("3.9.2", "aarch64");

  /** The markers of PEP 508's examples and of real wheels, against two targets. */
  @ParameterizedTest(name = "{0}: 3.11 x86_64 {1}, 3.9 aarch64 {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "python_version < \"3.10\"|false|true",
        "python_version >= \"3.8\"|true|true",
        "python_version > \"3.9\"|true|false",
        "python_full_version == \"3.11.2\"|true|false",
        "python_full_version >= \"3.9.1\"|true|true",
        "python_version ~= \"3.9\"|true|true",
        "python_version == \"3.9.*\"|false|true",
        "sys_platform == \"linux\"|true|true",
        "sys_platform == \"win32\"|false|false",
        "platform_system != \"Windows\"|true|true",
        "os_name == \"nt\"|false|false",
        "platform_machine == \"x86_64\"|true|false",
        "platform_machine in \"x86_64 AMD64\"|true|false",
        "'aarch' in platform_machine|false|true",
        "'linux' not in sys_platform|false|false",
        "implementation_name == \"cpython\"|true|true",
        "platform_python_implementation == 'CPython'|true|true",
        "\"3.10\" < python_version|true|false",
        "python_version > \"3.9\" and (sys_platform == \"linux\" or os_name == \"nt\")|true|false",
        "python_version < \"3.10\" or platform_machine == \"aarch64\"|false|true",
        "os.name == \"posix\"|true|true",
        "platform_release >= \"5\"|false|false",
        "extra == \"test\"|false|false"
      })
  void evaluatesForTheTargetNotTheHost(String marker, boolean on311, boolean on39) {
    assertEquals(on311, Marker.parse(marker).evaluate(CPYTHON_311, Set.of()), "3.11");
    assertEquals(on39, Marker.parse(marker).evaluate(CPYTHON_39, Set.of()), "3.9");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"test|true", "Test|true", "docs|false", "te-st|false"})
  void extrasAreComparedNormalised(String extra, boolean expected) {
    Marker marker = Marker.parse("extra == 'test' and python_version >= '3'");
    assertEquals(expected, marker.evaluate(CPYTHON_311, Set.of(extra)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "python_version <",
        "foo == \"x\"",
        "python_version == python_version",
        "\"a\" == \"b\"",
        "(python_version > \"3\"",
        "python_version >> \"3\"",
        "python_version == \"3"
      })
  void rejectsInvalidMarkers(String marker) {
    assertThrows(InvalidRequirementException.class, () -> Marker.parse(marker));
  }
}
