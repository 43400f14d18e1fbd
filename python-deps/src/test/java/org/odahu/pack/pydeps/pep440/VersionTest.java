package org.odahu.pack.pydeps.pep440;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class VersionTest {
  /** PEP 440's own example of every suffix in order ("Summary of permitted suffixes"). */
  private static final List<String> PEP_440_ORDER =
      List.of(
          "1.0.dev456",
          "1.0a1",
          "1.0a2.dev456",
          "1.0a12.dev456",
          "1.0a12",
          "1.0b1.dev456",
          "1.0b2",
          "1.0b2.post345.dev456",
          "1.0b2.post345",
          "1.0rc1.dev456",
          "1.0rc1",
          "1.0",
          "1.0+abc.5",
          "1.0+abc.7",
          "1.0+5",
          "1.0.post456.dev34",
          "1.0.post456",
          "1.0.15",
          "1.1.dev1",
          "1!0.5");

  @Test
  void everyPairOfPep440sExampleIsOrderedAsThePepLists() {
    for (int i = 0; i < PEP_440_ORDER.size(); i++) {
      for (int j = 0; j < PEP_440_ORDER.size(); j++) {
        Version a = Version.parse(PEP_440_ORDER.get(i));
        Version b = Version.parse(PEP_440_ORDER.get(j));
        assertEquals(
            Integer.signum(Integer.compare(i, j)), Integer.signum(a.compareTo(b)), a + " vs " + b);
      }
    }
  }

  @Test
  void sortingShuffledVersionsRestoresThePepOrder() {
    Random random = new Random(42);
    for (int round = 0; round < 50; round++) {
      List<Version> versions = new ArrayList<>(PEP_440_ORDER.stream().map(Version::parse).toList());
      Collections.shuffle(versions, random);
      Collections.sort(versions);
      assertEquals(PEP_440_ORDER, versions.stream().map(Version::toString).toList());
    }
  }

  @ParameterizedTest
  @CsvSource({
    "1.0alpha1, 1.0a1",
    "1.0-a1, 1.0a1",
    "1.0.c1, 1.0rc1",
    "1.0pre1, 1.0rc1",
    "1.0preview2, 1.0rc2",
    "1.0-1, 1.0.post1",
    "1.0rev1, 1.0.post1",
    "1.0-r2, 1.0.post2",
    "1.0.POST, 1.0.post0",
    "1.0.dev, 1.0.dev0",
    "v1.0, 1.0",
    "1.0+ubuntu-1, 1.0+ubuntu.1",
    "1.0+UbuNtu_1, 1.0+ubuntu.1",
    "1!2.0, 1!2.0",
    "0!1.0, 1.0",
    "1.01, 1.1",
    "' 1.0 ', 1.0",
    "1.0a, 1.0a0",
    "1.0.b-3, 1.0b3"
  })
  void normalisesAsPep440Says(String written, String normal) {
    assertEquals(normal, Version.parse(written).toString());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "abc", "1.0.", "1..0", "1.0+", "1.0+a..b", "1.0-", "1.0.dev.dev", "2.0b1c1"})
  void rejectsWhatIsNotAVersion(String text) {
    assertThrows(InvalidVersionException.class, () -> Version.parse(text));
  }

  @Test
  void trailingZerosDoNotMatter() {
    assertTrue(Version.parse("1.0").sameAs(Version.parse("1.0.0.0")));
    assertTrue(Version.parse("1.0").compareTo(Version.parse("1.0.0.1")) < 0);
  }
}
