package org.odahu.pack.packager.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.files.ExitCleanup;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.baseimages.testing.TestBase;
import org.odahu.pack.packager.PackagingException;
import org.odahu.pack.packager.PackagingPlan;
import org.odahu.pack.packager.image.ImageVerificationException;
import org.odahu.pack.packager.image.PackagingListener;
import org.odahu.pack.packager.image.VerificationSettings;
import org.odahu.pack.packager.layout.ImageLayouts;
import org.odahu.pack.packager.run.Packager;
import org.odahu.pack.packager.run.PackagingResult;
import org.odahu.pack.packager.testing.Leaks;
import org.odahu.pack.packager.testing.LocalRegistry;
import org.odahu.pack.packager.testing.RecordingListener;
import org.odahu.pack.packager.testing.TestPackagers;
import org.odahu.pack.packager.testing.Trees;
import org.odahu.pack.pydeps.testing.TestIndex;
import org.odahu.pack.pydeps.testing.TestPackages;

/**
 * What stops a packaging whose dependencies cannot work, each with its message: requirements no
 * source can meet for the base's Python, an unreachable index, a wrong index password (which
 * appears nowhere), a strict packaging's warnings, and a model importing a package nobody declared,
 * caught by running the image before anything is pushed.
 */
class DependencyFailuresPackagingIT {
  private static final String TARGET = "CPython 3.11 (cp311, manylinux_2_36_x86_64)";

  @TempDir static Path wheels;
  @TempDir Path temp;

  @BeforeAll
  static void buildTheIndexWheels() throws Exception {
    TestPackages.write(wheels, Examples.python().toString());
  }

  private PackagingException refused(String requirements, String arguments) throws IOException {
    Path artifact = DependencyFixtures.depsModel(temp, requirements);
    PackagingPlan plan = DependencyFixtures.plan(temp, arguments);
    Path tarball = temp.resolve("refused.tar");
    PackagingException error =
        assertThrows(
            PackagingException.class,
            () ->
                DependencyFixtures.packager(PackagingListener.NONE)
                    .pack(artifact, plan, new Packager.TarballOutput(tarball, ImageFormat.Docker)));
    assertFalse(Files.exists(tarball), "nothing written");
    return error;
  }

  @Test
  void requirementsNoSourceMeetsForTheBasesPythonFailWithOneLineEach() throws Exception {
    try (TestIndex index = TestIndex.start(wheels)) {
      PackagingException error =
          refused("nosuchpkg\nonlysdist\noldpy==1.0\n", "pipIndexUrl: \"" + index.url() + "\"");
      assertEquals(
          List.of(
              "nosuchpkg (odahuflow_model/requirements.txt:1): no such project on INDEX. Remedy: check the name, or add the index that has it (pipExtraIndexUrls / PIP_EXTRA_INDEX_URL)",
              "onlysdist (odahuflow_model/requirements.txt:2): only source distributions are available (onlysdist-1.0.tar.gz); odahu-pack installs wheels and never builds packages. Remedy: build a wheel for "
                  + TARGET
                  + " ('pip wheel onlysdist') and put it in a wheelhouse or an index, or use a dockerfileBaseImage that has onlysdist",
              "oldpy==1.0 (odahuflow_model/requirements.txt:3): no wheel for "
                  + TARGET
                  + " (wheels exist for cp39-cp39-manylinux_2_17_x86_64). Remedy: use a dockerfileBaseImage whose Python and platform match those wheels, or a version of oldpy with a wheel for Python 3.11"),
          error.getMessage().replace(index.url(), "INDEX").lines().toList());
    }
  }

  @Test
  void anUnreachableIndexIsNamed() throws Exception {
    String url;
    try (ServerSocket free = new ServerSocket(0)) {
      url = "http://127.0.0.1:" + free.getLocalPort() + "/simple";
    }
    assertEquals(
        "Cannot reach " + url + "/alpha/: connection refused",
        refused("alpha\n", "pipIndexUrl: \"" + url + "\"").getMessage());
  }

  @Test
  void aWrongIndexPasswordIsRefusedAndNoPasswordAppearsAnywhere() throws Exception {
    String wrong = "wrong-Index-Passw0rd";
    String right = "right-Index-Passw0rd";
    try (TestIndex index = TestIndex.start(wheels).withCredentials("odahu", right)) {
      Path artifact = DependencyFixtures.depsModel(temp, "alpha[fast]\n");
      RecordingListener recorder = new RecordingListener();
      PackagingPlan wrongPlan =
          DependencyFixtures.plan(temp, "pipIndexUrl: \"" + index.url("odahu", wrong) + "\"");
      assertFalse(wrongPlan.toString().contains(wrong), wrongPlan.toString());
      PackagingException error =
          assertThrows(
              PackagingException.class,
              () ->
                  DependencyFixtures.packager(recorder)
                      .pack(
                          artifact,
                          wrongPlan,
                          new Packager.TarballOutput(temp.resolve("w.tar"), ImageFormat.Docker)));
      assertEquals(
          index.url()
              + "/alpha/ refused the credentials of user 'odahu' (HTTP 401): check the password or token",
          error.getMessage());
      Leaks.assertNotLeaked(wrong, error, recorder);

      RecordingListener accepted = new RecordingListener();
      Path tarball = temp.resolve("right.tar");
      PackagingResult result =
          DependencyFixtures.packager(accepted)
              .pack(
                  artifact,
                  DependencyFixtures.plan(
                      temp, "pipIndexUrl: \"" + index.url("odahu", right) + "\""),
                  new Packager.TarballOutput(tarball, ImageFormat.Docker));
      String config = org.odahu.pack.packager.image.ImageTarball.read(tarball).config().toString();
      String resultJson = Files.readString(Packager.writeResult(temp, result.image().reference()));
      Leaks.assertNotLeaked(right, null, accepted, config, resultJson);
      assertTrue(
          accepted.lines().stream().anyMatch(l -> l.contains("http://odahu:****@127.0.0.1:")),
          "the index is shown as pip shows it: " + accepted.lines());
    }
  }

  @Test
  void aStrictPackagingFailsOnWarnings() throws Exception {
    Path artifact = DependencyFixtures.depsModel(temp, null);
    Files.writeString(
        artifact.resolve("odahuflow_model/conda.yaml"),
        "dependencies:\n  - python=3.11\n  - numpy\n  - mkl\n");
    PackagingException error =
        assertThrows(
            PackagingException.class,
            () ->
                DependencyFixtures.packager(PackagingListener.NONE)
                    .pack(
                        artifact,
                        DependencyFixtures.plan(temp, "strictDependencies: true"),
                        new Packager.TarballOutput(temp.resolve("s.tar"), ImageFormat.Docker)));
    assertEquals(
        "mkl (odahuflow_model/conda.yaml:4): a conda package no Python index provides; it is not installed, the base image must provide it. Remedy: use a dockerfileBaseImage that has it, or drop it from the conda file",
        error.getMessage());
  }

  @Test
  void aModelImportingAnUndeclaredPackageIsCaughtInItsImageAndNothingIsPushed() throws Exception {
    Path registryDir = Files.createTempDirectory("odahu-registry-");
    try (LocalRegistry registry = LocalRegistry.start(registryDir)) {
      Path artifact = DependencyFixtures.depsModel(temp, null);
      PackagingPlan plan = DependencyFixtures.pushPlan(temp, registry.address(), "");
      ImageVerificationException error =
          assertThrows(
              ImageVerificationException.class,
              () -> DependencyFixtures.packager(PackagingListener.NONE).pack(artifact, plan, null));
      assertTrue(
          error.modelError().contains("ModuleNotFoundError: No module named 'alpha'"),
          error.getMessage());
      assertTrue(
          error
              .getMessage()
              .startsWith("The image failed its self-check, so it was not published:"),
          error.getMessage());
      assertEquals(List.of(), registry.uploadedBlobs(), "nothing pushed");

      // Where images cannot run, packaging says so in one line and goes on.
      Path bwrap = temp.resolve("bwrap");
      Files.writeString(
          bwrap, "#!/bin/sh\necho 'bwrap: setting up uid map: Permission denied' >&2\nexit 1\n");
      Files.setPosixFilePermissions(bwrap, PosixFilePermissions.fromString("rwxr-xr-x"));
      RecordingListener recorder = new RecordingListener();
      Packager cannotRun =
          new Packager(
              TestPackagers.settings(TestBase.recipe(recorder)::ensure)
                  .with(new VerificationSettings(true, bwrap.toString(), Duration.ofMinutes(1))),
              ImageLayouts.of(new CliImageLayout()),
              ExitCleanup.manual(),
              recorder);
      assertTrue(cannotRun.pack(artifact, plan, null).image().pushed());
      assertEquals(
          List.of(
              "Not verifying the image before publishing it: bwrap cannot create the namespaces it"
                  + " needs here (bwrap: setting up uid map: Permission denied); the model's"
                  + " self-check is not run"),
          recorder.lines().stream().filter(l -> l.startsWith("Not verifying")).toList());
    } finally {
      Trees.delete(registryDir);
    }
  }

  @Test
  void anImageThatFailsItsSelfCheckLeavesThePreviousTarballAsItWas() throws Exception {
    Path artifact = DependencyFixtures.depsModel(temp, null);
    PackagingPlan plan = DependencyFixtures.plan(temp, "");
    Path out = Files.createDirectories(temp.resolve("out"));
    Path tarball = Files.writeString(out.resolve("image.tar"), "the previous image");
    assertThrows(
        ImageVerificationException.class,
        () ->
            DependencyFixtures.packager(PackagingListener.NONE)
                .pack(artifact, plan, new Packager.TarballOutput(tarball, ImageFormat.Docker)));
    assertEquals("the previous image", Files.readString(tarball));
    try (java.util.stream.Stream<Path> files = Files.list(out)) {
      assertEquals(List.of(tarball), files.toList(), "nothing else left beside it");
    }
  }

  @Test
  void verificationSwitchedOffByArgumentSaysSo() throws Exception {
    RecordingListener recorder = new RecordingListener();
    DependencyFixtures.packager(recorder)
        .pack(
            DependencyFixtures.depsModel(temp, null),
            DependencyFixtures.plan(temp, "verify: false"),
            new Packager.TarballOutput(temp.resolve("unverified.tar"), ImageFormat.Docker));
    assertEquals(
        List.of(
            "Not verifying the image: switched off (--no-verify, or the argument verify: false)"),
        recorder.lines().stream().filter(l -> l.startsWith("Not verifying")).toList());
    assertTrue(Files.size(temp.resolve("unverified.tar")) > 0, "written unverified");
  }
}
