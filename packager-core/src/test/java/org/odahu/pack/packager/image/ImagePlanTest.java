package org.odahu.pack.packager.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A plan's derived copies keep everything they do not change. */
class ImagePlanTest {
  private static final ImagePlan PLAN =
      new ImagePlan(
          BaseImage.tarball(Path.of("base.tar")),
          List.of(),
          Map.of("A", "1"),
          List.of("/bin/true"),
          5000,
          Map.of("label", "x"),
          "/app",
          "10001:10001",
          "SIGTERM",
          Map.of("annotation", "y"));

  @Test
  void extraVariablesKeepTheUserTheStopSignalAndTheAnnotations() {
    ImagePlan extended = PLAN.withEnvironment(Map.of("B", "2"));
    assertEquals(Map.of("A", "1", "B", "2"), extended.environment());
    assertEquals(
        PLAN,
        new ImagePlan(
            PLAN.base(),
            PLAN.layers(),
            PLAN.environment(),
            extended.entrypoint(),
            extended.exposedPort(),
            extended.labels(),
            extended.workingDirectory(),
            extended.user(),
            extended.stopSignal(),
            extended.annotations()));
  }

  @Test
  void anotherBaseKeepsEverythingElse() {
    BaseImage other = BaseImage.tarball(Path.of("other.tar"));
    ImagePlan moved = PLAN.withBase(other);
    assertEquals(other, moved.base());
    assertEquals(PLAN.user(), moved.user());
    assertEquals(PLAN.stopSignal(), moved.stopSignal());
    assertEquals(PLAN.annotations(), moved.annotations());
  }
}
