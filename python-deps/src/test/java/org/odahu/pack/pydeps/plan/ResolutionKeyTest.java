package org.odahu.pack.pydeps.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.pydeps.declare.DeclarationReader;
import org.odahu.pack.pydeps.declare.DeclaredDependencies;
import org.odahu.pack.pydeps.index.PackageSources;

/** What makes a cached resolution stale. */
class ResolutionKeyTest {
  @TempDir Path wheels;

  @Test
  void aWheelRebuiltUnderItsNameInALocalDirectoryIsANewInput() throws IOException {
    PackageSources sources =
        PackageSources.index("https://pypi.example.com/simple")
            .withFindLinks(List.of(wheels.toString()));
    Path wheel = wheels.resolve("mypkg-1.0-py3-none-any.whl");
    Files.writeString(wheel, "first build");
    Files.setLastModifiedTime(wheel, FileTime.fromMillis(1_000_000));
    List<String> first = ResolutionKey.localWheels(sources);
    assertEquals(
        List.of(
            "mypkg-1.0-py3-none-any.whl "
                + org.odahu.pack.pydeps.index.PackageFinder.sha256(wheel)),
        first);
    assertEquals(first, ResolutionKey.localWheels(sources), "nothing changed");

    Files.writeString(wheel, "second build");
    Files.setLastModifiedTime(wheel, FileTime.fromMillis(1_000_000));
    assertNotEquals(first, ResolutionKey.localWheels(sources), "another size");
    Files.writeString(wheel, "first BUILD");
    Files.setLastModifiedTime(wheel, FileTime.fromMillis(2_000_000));
    assertNotEquals(first, ResolutionKey.localWheels(sources), "the same size, rebuilt later");
    Files.writeString(wheel, "first BUILD");
    Files.setLastModifiedTime(wheel, FileTime.fromMillis(1_000_000));
    assertNotEquals(
        first,
        ResolutionKey.localWheels(sources),
        "the same size and time (a reproducible build), other content");
  }

  @Test
  void theSameArtifactExtractedElsewhereHasTheSameKey(@TempDir Path one, @TempDir Path two)
      throws IOException {
    List<String> keys = new java.util.ArrayList<>();
    for (Path root : List.of(one, two)) {
      Path wheels = Files.createDirectories(root.resolve("model/wheels"));
      Path wheel = Files.writeString(wheels.resolve("alpha-1.0-py3-none-any.whl"), "built");
      Files.setLastModifiedTime(wheel, FileTime.fromMillis(1_000_000));
      Files.writeString(
          root.resolve("model/requirements.txt"),
          "-f ./wheels\nwheels/alpha-1.0-py3-none-any.whl\nalpha @ file:wheels/alpha-1.0-py3-none-any.whl\n");
      DeclaredDependencies declared =
          new DeclarationReader(root, Map.of()).readRequirements("model/requirements.txt");
      keys.add(
          ResolutionKey.of(
              declared,
              ResolverTest.debianPython(),
              PackageSources.index("https://pypi.example.com/simple").with(declared.sources()),
              PlanOptions.DEFAULTS,
              false));
    }
    assertEquals(keys.get(0), keys.get(1));
  }
}
