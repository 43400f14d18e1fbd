package org.odahu.pack.pydeps.pep440;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SpecifierSetTest {

  /** Cases from PEP 440's examples and packaging's specifier tests (pre-releases allowed). */
  @ParameterizedTest(name = "{0} in {1}: {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "2.0|==2|true",
        "2.0|==2.0|true",
        "2.0.0|==2|true",
        "2.1|==2.0.*|false",
        "2.0.1|==2.0.*|true",
        "2.0|==2.*|true",
        "2.0.0|==2.0.0.*|true",
        "2.0|==2.0.0.*|true",
        "1.2.3rc1|==1.2.*|true",
        "1.2.post1|==1.2.*|true",
        "1!2.0|==2.*|false",
        "2.0+deadbeef|==2.0|true",
        "2.0|==2.0+deadbeef|false",
        "2.0+deadbeef|==2.0+deadbeef|true",
        "2.0|!=2.1|true",
        "2.1|!=2.1|false",
        "2.0.1|!=2.0.*|false",
        "2.1|!=2.0.*|true",
        "2.0|<=2|true",
        "2.0+local|<=2|true",
        "2.0|>=2.0|true",
        "2.0.post1|>=2|true",
        "2.0|<3|true",
        "3.0.dev0|<3|false",
        "3.0a1|<3.0a2|true",
        "2.9|<3|true",
        "2.0.post1|>2|false",
        "2.0.post1|>2.0.post0|true",
        "2.0+local|>2|false",
        "2.1|>2|true",
        "2.2|~=2.2|true",
        "2.3|~=2.2|true",
        "3.0|~=2.2|false",
        "2.1|~=2.2|false",
        "2.2.1|~=2.2.0|true",
        "2.3|~=2.2.0|false",
        "1!2.3|~=2.2|false",
        "1.0|===1.0|true",
        "1.0.0|===1.0|false",
        "1.4.5|>=1.4.2,<1.5|true",
        "1.5|>=1.4.2,<1.5|false"
      })
  void containsAsPep440Says(String version, String specifier, boolean expected) {
    assertEquals(expected, SpecifierSet.parse(specifier).contains(Version.parse(version), true));
  }

  @Test
  void preReleasesMatchOnlyWhenAClauseNamesOne() {
    assertFalse(SpecifierSet.parse(">=1.0").contains(Version.parse("2.0a1")));
    assertTrue(SpecifierSet.parse(">=1.0a1").contains(Version.parse("2.0a1")));
    assertFalse(SpecifierSet.ANY.contains(Version.parse("2.0.dev1")));
  }

  @Test
  void filterFallsBackToPreReleasesWhenNothingElseMatches() {
    List<Version> onlyPre = List.of(Version.parse("1.0a1"), Version.parse("1.0b1"));
    assertEquals(onlyPre, SpecifierSet.parse(">=0.9").filter(onlyPre));
    List<Version> mixed = List.of(Version.parse("0.9"), Version.parse("1.0a1"));
    assertEquals(List.of(Version.parse("0.9")), SpecifierSet.parse(">=0.9").filter(mixed));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"~=1", ">=1.0.*", "<1.0+local", "=>1.0", "1.0", ">=", "~=1.0+x", ">=1,=<2,"})
  void rejectsInvalidClauses(String text) {
    assertThrows(InvalidVersionException.class, () -> SpecifierSet.parse(text));
  }

  @Test
  void blankClausesAreSkippedAsPackagingSkipsThem() {
    // e.g. a Requires-Python of '>=3.12,': read, it keeps 3.11 out.
    assertEquals(SpecifierSet.parse(">=3.12"), SpecifierSet.parse(">=3.12,"));
    assertFalse(SpecifierSet.parse(">=3.12,").contains(Version.parse("3.11.2")));
    assertEquals(SpecifierSet.parse(">=1,<2"), SpecifierSet.parse(" >=1 , , <2 ,"));
    assertEquals(SpecifierSet.ANY, SpecifierSet.parse(","));
  }
}
