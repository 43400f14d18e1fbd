package org.odahu.pack.pydeps.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.pydeps.PythonDependencies;
import org.odahu.pack.pydeps.common.DependencyListener;
import org.odahu.pack.pydeps.common.PlanIssue;
import org.odahu.pack.pydeps.declare.DeclarationFiles;
import org.odahu.pack.pydeps.image.DirectoryImageRoot;
import org.odahu.pack.pydeps.image.TargetEnvironment;
import org.odahu.pack.pydeps.image.TargetHints;
import org.odahu.pack.pydeps.index.PackageSources;
import org.odahu.pack.pydeps.testing.TestIndex;
import org.odahu.pack.pydeps.testing.TestPackages;

/**
 * Plans for a base image whose Python (3.9, glibc 2.31) is not the build host's (3.11): markers and
 * wheel tags follow the image, so a dependency the host would skip is planned and one the host
 * would take is not.
 */
class PlanForAnotherPythonIT {
  @TempDir Path wheels;
  @TempDir Path root;
  @TempDir Path work;

  private TargetEnvironment python39() throws IOException {
    Files.createDirectories(root.resolve("usr/bin"));
    byte[] elf = new byte[64];
    elf[0] = 0x7f;
    elf[1] = 'E';
    elf[4] = 2;
    elf[5] = 1;
    elf[18] = 0x3E;
    Files.write(root.resolve("usr/bin/python3.9"), elf);
    Files.createSymbolicLink(root.resolve("usr/bin/python3"), Path.of("python3.9"));
    Files.createDirectories(root.resolve("usr/lib/python3.9"));
    Files.writeString(root.resolve("usr/lib/python3.9/os.py"), "");
    Files.createDirectories(root.resolve("var/lib/dpkg"));
    Files.writeString(
        root.resolve("var/lib/dpkg/status"),
        "Package: libc6\nStatus: install ok installed\nVersion: 2.31-13\n\nPackage: python3.9-minimal\nStatus: install ok installed\nVersion: 3.9.2-1\n");
    return new PythonDependencies(
            work, PackageSources.index("http://127.0.0.1:1/simple"), DependencyListener.NONE)
        .target(new DirectoryImageRoot(root), TargetHints.defaults());
  }

  @Test
  void markersAndTagsFollowTheImagesPythonNotTheHosts() throws Exception {
    TestPackages.write(wheels, System.getProperty("odahu.python", "/usr/bin/python3"));
    TargetEnvironment target = python39();
    assertEquals("CPython 3.9.2 (/usr/bin/python3) on x86_64, glibc 2.31", target.describe());
    Path artifact = Files.createDirectories(work.resolve("artifact"));
    Files.writeString(
        artifact.resolve("conda.yaml"),
        "dependencies:\n  - python=3.11\n  - pip:\n    - alpha\n    - fastmath\n");
    try (TestIndex index = TestIndex.start(wheels).yank("beta-2.1-py3-none-any.whl", "")) {
      PythonDependencies deps =
          new PythonDependencies(
              work.resolve("cache"), PackageSources.index(index.url()), DependencyListener.NONE);
      DependencyPlan plan =
          deps.plan(
              deps.read(
                  artifact,
                  new DeclarationFiles(
                      Optional.of("conda.yaml"), Optional.empty(), Optional.empty()),
                  Map.of()),
              target,
              PlanOptions.DEFAULTS);
      assertEquals(
          List.of(
              "alpha-1.0-py3-none-any.whl",
              "beta-2.0-py3-none-any.whl",
              "fastmath-1.1-cp39-cp39-manylinux_2_17_x86_64.whl",
              "gamma-1.0-py3-none-any.whl"),
          plan.install().stream().map(PlannedWheel::filename).toList(),
          plan.render());
      assertEquals(
          List.of(PlanIssue.Kind.PYTHON_VERSION),
          plan.warnings().stream().map(PlanIssue::kind).toList());
      assertEquals(
          "python=3.11 (conda.yaml:2): the base image has Python 3.9.2; the dependencies are planned for Python 3.9. Remedy: use a dockerfileBaseImage with that Python, or declare the Python of the base image",
          plan.warnings().get(0).line());
      assertTrue(plan.ok());
      assertTrue(!plan.withStrict(true).ok());
    }
  }
}
