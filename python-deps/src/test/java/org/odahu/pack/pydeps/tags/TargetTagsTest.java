package org.odahu.pack.pydeps.tags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TargetTagsTest {
  private static final TargetTags DEBIAN_12 =
      new TargetTags(3, 11, "x86_64", Libc.glibc(2, 36), false);

  private static OptionalInt rank(TargetTags tags, String wheel) {
    return tags.priority(WheelFilename.parse(wheel).orElseThrow());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "x-1.0-cp311-cp311-manylinux_2_17_x86_64.whl",
        "x-1.0-cp311-cp311-manylinux_2_36_x86_64.whl",
        "x-1.0-cp311-cp311-manylinux2014_x86_64.whl",
        "x-1.0-cp311-cp311-manylinux2010_x86_64.whl",
        "x-1.0-cp311-cp311-manylinux1_x86_64.whl",
        "x-1.0-cp37-abi3-manylinux_2_28_x86_64.whl",
        "x-1.0-py3-none-any.whl",
        "x-1.0-py2.py3-none-any.whl",
        "x-1.0-py311-none-any.whl",
        "x-1.0-cp311-none-any.whl",
        "x-1.0-py3-none-manylinux_2_17_x86_64.whl",
        "x-1.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"
      })
  void acceptsWheelsTheTargetRuns(String wheel) {
    assertTrue(rank(DEBIAN_12, wheel).isPresent(), wheel);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "x-1.0-cp39-cp39-manylinux_2_17_x86_64.whl", "x-1.0-cp312-cp312-manylinux_2_17_x86_64.whl",
        "x-1.0-cp311-cp311-manylinux_2_39_x86_64.whl",
            "x-1.0-cp311-cp311-manylinux_2_17_aarch64.whl",
        "x-1.0-cp311-cp311-musllinux_1_1_x86_64.whl", "x-1.0-cp311-cp311-win_amd64.whl",
        "x-1.0-cp311-cp311-macosx_11_0_arm64.whl", "x-1.0-cp311-cp311-linux_x86_64.whl",
        "x-1.0-py2-none-any.whl", "x-1.0-pp39-pypy39_pp73-manylinux_2_17_x86_64.whl",
        "x-1.0-cp311-cp311d-manylinux_2_17_x86_64.whl", "x-1.0-cp312-abi3-manylinux_2_17_x86_64.whl"
      })
  void refusesWheelsForOtherPythonsPlatformsOrANewerGlibc(String wheel) {
    assertFalse(rank(DEBIAN_12, wheel).isPresent(), wheel);
  }

  @Test
  void ranksAsPackagingTagsDoes() {
    List<String> best =
        List.of(
            "x-1.0-cp311-cp311-manylinux_2_36_x86_64.whl",
            "x-1.0-cp311-cp311-manylinux_2_17_x86_64.whl",
            "x-1.0-cp311-abi3-manylinux_2_17_x86_64.whl",
            "x-1.0-cp38-abi3-manylinux_2_17_x86_64.whl",
            "x-1.0-py3-none-manylinux_2_17_x86_64.whl",
            "x-1.0-cp311-none-any.whl",
            "x-1.0-py311-none-any.whl",
            "x-1.0-py3-none-any.whl",
            "x-1.0-py30-none-any.whl");
    for (int i = 1; i < best.size(); i++) {
      assertTrue(
          rank(DEBIAN_12, best.get(i - 1)).getAsInt() < rank(DEBIAN_12, best.get(i)).getAsInt(),
          best.get(i));
    }
  }

  @Test
  void linuxTagOnlyWhenAskedAndLegacyAliasesFollowTheirGlibc() {
    TargetTags linux = new TargetTags(3, 11, "x86_64", Libc.glibc(2, 36), true);
    assertTrue(rank(linux, "x-1.0-cp311-cp311-linux_x86_64.whl").isPresent());
    TargetTags old = new TargetTags(3, 11, "x86_64", Libc.glibc(2, 12), false);
    assertTrue(rank(old, "x-1.0-cp311-cp311-manylinux2010_x86_64.whl").isPresent());
    assertFalse(rank(old, "x-1.0-cp311-cp311-manylinux2014_x86_64.whl").isPresent());
    TargetTags musl = new TargetTags(3, 11, "x86_64", Libc.musl(1, 2), false);
    assertTrue(rank(musl, "x-1.0-cp311-cp311-musllinux_1_1_x86_64.whl").isPresent());
    assertFalse(rank(musl, "x-1.0-cp311-cp311-manylinux_2_17_x86_64.whl").isPresent());
    assertEquals("manylinux_2_36_x86_64", DEBIAN_12.bestPlatform());
  }
}
