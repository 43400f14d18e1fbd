package org.odahu.pack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.baseimages.DebianPythonBase;
import org.odahu.pack.packager.image.ImageTarball;
import org.odahu.pack.packager.image.PackagingListener;
import org.odahu.pack.packager.testing.TestPackagers;
import org.odahu.pack.pydeps.testing.TestPackages;

/**
 * The packaging path as a user without any privilege ({@code nobody}), as in a packager pod with a
 * read-only root and an emptyDir cache: the model's dependencies from a wheelhouse, the image built
 * and verified (bwrap with user namespaces), no root and no Docker.
 */
class UnprivilegedPackagingIT {
  private static final String NOBODY = "65534";

  @TempDir Path temp;

  private static void run(List<String> command) throws Exception {
    Launcher.Result result = Launcher.run(new ProcessBuilder(command).redirectErrorStream(true));
    assertEquals(0, result.status(), command + ": " + result.output());
  }

  @Test
  void nobodyPackagesAModelWithItsDependenciesFromAWheelhouse() throws Exception {
    assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "switching to another user needs root; as another user this is the unprivileged case");
    Path shared = Files.createDirectories(temp.resolve("shared"));
    Path cache = Files.createDirectories(shared.resolve("cache/base-images"));
    // What a pod would find in its cache: the base image and the jlink'd runtime, no layers.
    Path base =
        new DebianPythonBase(
                TestPackagers.cacheDirectory(), Packagers.DEBIAN_MIRROR, PackagingListener.NONE)
            .ensure()
            .tarball();
    Files.copy(base, cache.resolve(base.getFileName()));
    try (Stream<Path> runtimes = Files.list(TestPackagers.cacheDirectory())) {
      for (Path jre :
          runtimes.filter(p -> p.getFileName().toString().startsWith("jre-")).toList()) {
        run(List.of("cp", "-a", jre.toString(), shared.resolve("cache").toString()));
      }
    }
    Path wheelhouse = Files.createDirectories(shared.resolve("wheels"));
    TestPackages.write(wheelhouse, Examples.python().toString());
    run(
        List.of(
            "cp", "-a", Examples.testModel("deps").toString(), shared.resolve("deps").toString()));
    Path manifest =
        Files.writeString(
            shared.resolve("packaging.yaml"),
            "kind: ModelPackaging\nid: deps\nspec: {artifactName: deps, integrationName:"
                + " docker-cli, arguments: {imageName: \"odahu/deps:1.0\"}}\n");
    Files.createDirectories(shared.resolve("home"));
    Path tarball = Files.createDirectories(shared.resolve("out")).resolve("deps.tar");
    run(List.of("chmod", "-R", "a+rwX", temp.toString()));

    List<String> command =
        new ArrayList<>(List.of("setpriv", "--reuid", NOBODY, "--regid", NOBODY, "--clear-groups"));
    command.addAll(
        Launcher.builder(
                "odahu-pack",
                List.of(
                    "pack",
                    "run",
                    "--id",
                    "deps",
                    "-f",
                    manifest.toString(),
                    "--artifact-path",
                    shared.toString(),
                    "--output",
                    tarball.toString(),
                    "--wheelhouse",
                    wheelhouse.toString(),
                    "--result-dir",
                    tarball.getParent().toString(),
                    "--no-disable-package-targets"))
            .command());
    ProcessBuilder nobody = new ProcessBuilder(command).redirectErrorStream(true);
    nobody.environment().put("HOME", shared.resolve("home").toString());
    nobody.environment().put("ODAHU_PACK_CACHE", shared.resolve("cache").toString());
    nobody.environment().keySet().removeIf(name -> name.startsWith("PIP_"));
    nobody.environment().put("PIP_CONFIG_FILE", "/dev/null");
    Launcher.Result result = Launcher.run(nobody);
    assertEquals(0, result.status(), result.output());
    assertTrue(result.output().contains("Self-check passed inside the image"), result.output());
    assertTrue(
        result
            .output()
            .contains(
                "fastmath-1.0-cp311-cp311-manylinux_2_17_x86_64.whl  from " + wheelhouse.toUri()),
        result.output());
    assertEquals(
        Integer.parseInt(NOBODY),
        (Integer) Files.getAttribute(tarball, "unix:uid"),
        "written by nobody");
    assertEquals(
        6, ImageTarball.read(tarball).layers().size(), "base, Java, jars, class data, deps, model");
  }
}
