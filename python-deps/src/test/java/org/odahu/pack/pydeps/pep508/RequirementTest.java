package org.odahu.pack.pydeps.pep508;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequirementTest {

  @Test
  void readsPep508sFullExample() {
    Requirement r =
        Requirement.parse(
            "requests [security,tests] >= 2.8.1, == 2.8.* ; python_version < \"2.7\"");
    assertEquals("requests", r.key());
    assertEquals(Set.of("security", "tests"), r.extras());
    assertEquals(">=2.8.1,==2.8.*", r.specifier().toString());
    assertFalse(r.appliesTo(MarkerEnvironment.linuxCPython("3.11.2", "x86_64"), Set.of()));
  }

  @Test
  void readsDirectReferencesAndRedactsTheirCredentials() {
    Requirement r =
        Requirement.parse(
            "pip @ https://user:s3cret@host/pip-23.0-py3-none-any.whl ; python_version >= '3'");
    assertEquals("https://user:s3cret@host/pip-23.0-py3-none-any.whl", r.url());
    assertTrue(r.specifier().isEmpty());
    assertFalse(r.toString().contains("s3cret"), r.toString());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Foo (>=1.0)|foo>=1.0",
        "foo[bar]|foo[bar]",
        "Foo.Bar_baz==1|foo-bar-baz==1",
        "name>=1.0;os_name=='posix'|name>=1.0; os_name=='posix'",
        "zope.interface|zope-interface",
        "numpy>=1.20,<2|numpy>=1.20,<2",
        "numpy>=1.20,|numpy>=1.20"
      })
  void writesACanonicalForm(String text, String canonical) {
    assertEquals(canonical, Requirement.parse(text).toString());
  }

  @Test
  void hasNoMarkerWhenNoneIsWritten() {
    assertNull(Requirement.parse("numpy").marker());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        ">=1.0",
        "foo >=",
        "foo[bar",
        "foo[b@r]",
        "foo @ ",
        "foo ; bogus == 'x'",
        "foo ==1.0.*.*",
        "foo,",
        "foo>=1,,<2"
      })
  void rejectsInvalidRequirements(String text) {
    assertThrows(InvalidRequirementException.class, () -> Requirement.parse(text));
  }
}
