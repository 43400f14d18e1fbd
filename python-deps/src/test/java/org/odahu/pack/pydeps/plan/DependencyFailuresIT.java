package org.odahu.pack.pydeps.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.pydeps.PythonDependencies;
import org.odahu.pack.pydeps.UnsatisfiedDependenciesException;
import org.odahu.pack.pydeps.common.DependencyListener;
import org.odahu.pack.pydeps.common.PlanIssue;
import org.odahu.pack.pydeps.declare.DeclarationFiles;
import org.odahu.pack.pydeps.image.DirectoryImageRoot;
import org.odahu.pack.pydeps.image.TargetEnvironment;
import org.odahu.pack.pydeps.image.TargetHints;
import org.odahu.pack.pydeps.index.PackageSourceException;
import org.odahu.pack.pydeps.index.PackageSources;
import org.odahu.pack.pydeps.index.Proxies;
import org.odahu.pack.pydeps.testing.TestIndex;
import org.odahu.pack.pydeps.testing.TestPackages;
import org.odahu.pack.pydeps.testing.WheelBuilder;

/** Every way a plan fails, each with the one line a user reads, against a real index. */
class DependencyFailuresIT {
  private static final String PYTHON = System.getProperty("odahu.python", "/usr/bin/python3");
  private static final String TARGET = "CPython 3.11 (cp311, manylinux_2_36_x86_64)";

  @TempDir static Path wheels;
  @TempDir Path work;
  private static TargetEnvironment host;

  @BeforeAll
  static void buildPackages() throws IOException, InterruptedException {
    TestPackages.write(wheels, PYTHON);
    host =
        new PythonDependencies(
                Path.of("unused"),
                PackageSources.index("http://127.0.0.1:1/simple"),
                DependencyListener.NONE)
            .target(
                new DirectoryImageRoot(Path.of("/")),
                new TargetHints(TargetHints.DEFAULT_PATH, PYTHON, Optional.empty()));
  }

  private DependencyPlan plan(
      String url, String requirements, PlanOptions options, DependencyListener listener)
      throws IOException {
    Path artifact = Files.createDirectories(work.resolve("artifact"));
    Files.writeString(artifact.resolve("requirements.txt"), requirements);
    PythonDependencies deps =
        new PythonDependencies(work.resolve("cache"), PackageSources.index(url), listener);
    return deps.plan(
        deps.read(
            artifact,
            new DeclarationFiles(
                Optional.empty(), Optional.of("requirements.txt"), Optional.empty()),
            Map.of()),
        host,
        options);
  }

  private List<String> errors(String requirements) throws IOException {
    try (TestIndex index = TestIndex.start(wheels)) {
      DependencyPlan plan =
          plan(index.url(), requirements, PlanOptions.DEFAULTS, DependencyListener.NONE);
      assertFalse(plan.ok(), plan.render());
      return plan.errors().stream().map(e -> e.line().replace(index.url(), "INDEX")).toList();
    }
  }

  @Test
  void unknownPackageAndSdistOnlyAndNoWheelForThePythonAreAllReportedAtOnce() throws IOException {
    assertEquals(
        List.of(
            "nosuchpkg (requirements.txt:1): no such project on INDEX. Remedy: check the name, or add the index that has it (pipExtraIndexUrls / PIP_EXTRA_INDEX_URL)",
            "onlysdist (requirements.txt:2): only source distributions are available (onlysdist-1.0.tar.gz); odahu-pack installs wheels and never builds packages. Remedy: build a wheel for "
                + TARGET
                + " ('pip wheel onlysdist') and put it in a wheelhouse or an index, or use a dockerfileBaseImage that has onlysdist",
            "oldpy==1.0 (requirements.txt:3): no wheel for "
                + TARGET
                + " (wheels exist for cp39-cp39-manylinux_2_17_x86_64). Remedy: use a dockerfileBaseImage whose Python and platform match those wheels, or a version of oldpy with a wheel for Python 3.11"),
        errors("nosuchpkg\nonlysdist\noldpy==1.0\n"));
  }

  @Test
  void aPinWithNoReleaseNamesWhatExists() throws IOException {
    assertEquals(
        List.of(
            "beta==9.9 (requirements.txt:1): no release matches (available for the target: 1.0, 2.0, 2.1). Remedy: use a dockerfileBaseImage that provides beta==9.9, or relax the pin (versions with a wheel for the target: 1.0, 2.0, 2.1)"),
        errors("beta==9.9\n"));
  }

  @Test
  void aPinTheBaseProvidesDifferentlyWithNoWheelIsAnError() throws IOException {
    String numpy = host.installed("numpy").orElseThrow().version().toString();
    assertEquals(
        List.of(
            "numpy==1.26.4 (requirements.txt:1): the base image has numpy "
                + numpy
                + " and no source offers numpy==1.26.4 (INDEX). Remedy: use a dockerfileBaseImage that provides numpy==1.26.4, or relax the pin"),
        errors("numpy==1.26.4\n"));
  }

  @Test
  void releasesTheIndexSaysAreForAnotherPythonAreNamedWithThatPython(@TempDir Path files)
      throws IOException {
    for (String version : List.of("1.0", "2.0")) {
      WheelBuilder.wheel("oldonly", version).file("oldonly.py", "").write(files);
    }
    WheelBuilder.wheel("oldonly", "0.5").file("oldonly.py", "").write(files);
    try (TestIndex index =
        TestIndex.start(files)
            .requiresPython("oldonly-1.0-py3-none-any.whl", "<3.0")
            .requiresPython("oldonly-2.0-py3-none-any.whl", ">=3.99")) {
      List<String> errors =
          plan(index.url(), "oldonly>=1\n", PlanOptions.DEFAULTS, DependencyListener.NONE)
              .errors()
              .stream()
              .map(PlanIssue::line)
              .toList();
      assertEquals(
          List.of(
              "oldonly>=1 (requirements.txt:1): every release that matches requires a different"
                  + " Python: "
                  + host.pythonVersion()
                  + " not in '<3.0' (1.0), '>=3.99' (2.0). Remedy: use a dockerfileBaseImage whose"
                  + " Python is in that range, or a version of oldonly for Python 3.11 (versions"
                  + " with a wheel for the target: 0.5)"),
          errors);
    }
  }

  @Test
  void conflictingPinsNameBothChains() throws IOException {
    assertEquals(
        List.of(
            "beta>=2,<2 (requirements.txt:2; conflict-a 1.0 <- requirements.txt:1): no version satisfies all of beta>=2 (requirements.txt:2), beta<2 (conflict-a 1.0 <- requirements.txt:1). Remedy: relax one of these pins"),
        errors("conflict-a\nbeta>=2\n"));
  }

  @Test
  void anUnreachableIndexIsNamed() throws IOException {
    String url;
    try (TestIndex index = TestIndex.start(wheels)) {
      url = index.url();
    }
    PackageSourceException e =
        assertThrows(
            PackageSourceException.class,
            () -> plan(url, "alpha\n", PlanOptions.DEFAULTS, DependencyListener.NONE));
    assertEquals("Cannot reach " + url + "/alpha/: connection refused", e.getMessage());
    PackageSourceException http =
        assertThrows(
            PackageSourceException.class,
            () ->
                plan(
                    "http://pypi.internal.example/simple",
                    "alpha\n",
                    PlanOptions.DEFAULTS,
                    DependencyListener.NONE));
    assertEquals(
        "http://pypi.internal.example/simple/alpha/ is plain HTTP: use HTTPS, or list 'pypi.internal.example' in PIP_TRUSTED_HOST (pip's --trusted-host)",
        http.getMessage());
  }

  @Test
  void aWrongPasswordIsA401WithoutThePasswordAndTheRightOneLeavesNoTrace() throws IOException {
    try (TestIndex index = TestIndex.start(wheels).withCredentials("alice", "s3cret-pw")) {
      PackageSourceException e =
          assertThrows(
              PackageSourceException.class,
              () ->
                  plan(
                      index.url("alice", "wrong-pw"),
                      "alpha\n",
                      PlanOptions.DEFAULTS,
                      DependencyListener.NONE));
      assertEquals(
          index.url()
              + "/alpha/ refused the credentials of user 'alice' (HTTP 401): check the password or token",
          e.getMessage());
      assertFalse(e.getMessage().contains("wrong-pw"));
      // A lone token before the host is the secret itself: never named.
      String token = index.url().replace("://", "://tok3n-s3cret@");
      PackageSourceException refusedToken =
          assertThrows(
              PackageSourceException.class,
              () -> plan(token, "alpha\n", PlanOptions.DEFAULTS, DependencyListener.NONE));
      assertEquals(
          index.url() + "/alpha/ refused the token given for it (HTTP 401): check the token",
          refusedToken.getMessage());
      PackageSourceException none =
          assertThrows(
              PackageSourceException.class,
              () -> plan(index.url(), "alpha\n", PlanOptions.DEFAULTS, DependencyListener.NONE));
      assertTrue(
          none.getMessage()
              .endsWith(
                  "needs credentials (HTTP 401): put them in the URL that names it (the index, find-links or"
                      + " direct reference URL, as user:password followed by @ before the host) or in ~/.netrc"),
          none.getMessage());

      List<String> events = new ArrayList<>();
      DependencyPlan plan =
          plan(
              index.url("alice", "s3cret-pw"),
              "alpha\nnosuchpkg\n",
              PlanOptions.DEFAULTS,
              events::add);
      String everything = plan.render() + events + plan.errors();
      assertTrue(everything.contains("http://alice:****@127.0.0.1:"), everything);
      assertFalse(everything.contains("s3cret-pw"), everything);
      DependencyPlan ok =
          plan(index.url("alice", "s3cret-pw"), "alpha\n", PlanOptions.DEFAULTS, events::add);
      assertTrue(ok.ok(), ok.render());
      assertFalse((ok.render() + events).contains("s3cret-pw"));
      Path netrc = work.resolve("netrc");
      Files.writeString(netrc, "machine 127.0.0.1 login alice password s3cret-pw\n");
      PackageSources viaNetrc =
          new PackageSources(
              index.url(),
              List.of(),
              List.of(),
              List.of(),
              false,
              Optional.empty(),
              Optional.of(netrc),
              java.time.Duration.ofSeconds(10),
              Proxies.NONE,
              Optional.empty());
      PythonDependencies withNetrc =
          new PythonDependencies(work.resolve("cache-netrc"), viaNetrc, events::add);
      DependencyPlan fromNetrc =
          withNetrc.plan(
              withNetrc.read(
                  work.resolve("artifact"),
                  new DeclarationFiles(
                      Optional.empty(), Optional.of("requirements.txt"), Optional.empty()),
                  Map.of()),
              host,
              PlanOptions.DEFAULTS);
      assertTrue(fromNetrc.ok(), fromNetrc.render());
      try (Stream<Path> files = Files.walk(work.resolve("cache"))) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          assertFalse(
              new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1)
                  .contains("s3cret-pw"),
              file.toString());
        }
      }
    }
  }

  @Test
  void aPinTheBaseHasDifferentlyIsAWarningThatStrictTurnsIntoAnError(@TempDir Path index)
      throws IOException {
    WheelBuilder.wheel("numpy", "1.26.4")
        .tag("cp311-cp311-manylinux_2_17_x86_64")
        .file("numpy/__init__.py", "")
        .write(index);
    try (TestIndex server = TestIndex.start(index)) {
      DependencyPlan plan =
          plan(server.url(), "numpy==1.26.4\n", PlanOptions.DEFAULTS, DependencyListener.NONE);
      assertTrue(plan.ok(), plan.render());
      String base = host.installed("numpy").orElseThrow().version().toString();
      assertEquals(
          List.of(
              "numpy==1.26.4 (requirements.txt:1): the base image has numpy "
                  + base
                  + "; 1.26.4 is installed ahead of it (the base's own packages built against "
                  + base
                  + " may break). Remedy: use a dockerfileBaseImage that has numpy 1.26.4, or relax the pin to accept "
                  + base),
          plan.warnings().stream().map(PlanIssue::line).toList());
      DependencyPlan strict =
          plan(
              server.url(),
              "numpy==1.26.4\n",
              PlanOptions.DEFAULTS.withStrict(true),
              DependencyListener.NONE);
      assertFalse(strict.ok());
      assertTrue(strict.reused(), "strictness is not part of the resolution");
      UnsatisfiedDependenciesException e =
          assertThrows(
              UnsatisfiedDependenciesException.class,
              () ->
                  new PythonDependencies(
                          work.resolve("cache"),
                          PackageSources.index(server.url()),
                          DependencyListener.NONE)
                      .install(strict, "/opt/x"));
      assertTrue(
          e.getMessage().startsWith("numpy==1.26.4 (requirements.txt:1): the base image has numpy"),
          e.getMessage());
    }
  }

  @Test
  void metadataOneIndexServesIsNeverUsedForTheSameWheelFromAnother() throws IOException {
    try (TestIndex hostile = TestIndex.start(wheels).withAddedRequirement("zzz-not-published");
        TestIndex honest = TestIndex.start(wheels)) {
      DependencyPlan lied =
          plan(hostile.url(), "alpha\n", PlanOptions.DEFAULTS, DependencyListener.NONE);
      assertFalse(lied.ok(), "the hostile index's metadata is its own word: " + lied.render());
      assertTrue(lied.render().contains("zzz-not-published"), lied.render());
      // Same cache, same wheel (same sha256), another index: the wheel's own metadata.
      DependencyPlan plan =
          plan(honest.url(), "alpha\n", PlanOptions.DEFAULTS, DependencyListener.NONE);
      assertTrue(plan.ok(), plan.render());
    }
  }

  @Test
  void inHashCheckingModeEveryInstalledPackageMustBePinnedAndHashed() throws IOException {
    String alpha = wheelSha256("alpha-1.0-");
    try (TestIndex index = TestIndex.start(wheels)) {
      // alpha needs beta>=2, which the lock misses: pip refuses; so do we, with the line to add.
      DependencyPlan missing =
          plan(
              index.url(),
              "alpha==1.0 --hash=sha256:" + alpha + "\n",
              PlanOptions.DEFAULTS,
              DependencyListener.NONE);
      assertEquals(
          List.of("beta", "delta"),
          missing.errors().stream().map(PlanIssue::project).toList(),
          missing.render());
      StringBuilder lines = new StringBuilder();
      for (PlanIssue dependency : missing.errors()) {
        assertEquals(PlanIssue.Kind.HASH_REQUIRED, dependency.kind());
        assertTrue(
            dependency.message().startsWith("a dependency that is no requirement of its own"));
        String add = dependency.remedy().replaceAll("^add the line '(.*)'$", "$1");
        assertTrue(add.matches("[a-z]+==[0-9.]+ --hash=sha256:[0-9a-f]{64}"), add);
        lines.append(add).append('\n');
      }
      String line = lines.toString().strip();

      DependencyPlan locked =
          plan(
              index.url(),
              "alpha==1.0 --hash=sha256:" + alpha + "\n" + line + "\n",
              PlanOptions.DEFAULTS,
              DependencyListener.NONE);
      assertTrue(locked.ok(), locked.render());

      DependencyPlan unpinned =
          plan(
              index.url(),
              "alpha>=1 --hash=sha256:" + alpha + "\n" + line + "\n",
              PlanOptions.DEFAULTS,
              DependencyListener.NONE);
      assertEquals(
          List.of(
              "alpha>=1 (requirements.txt:1): in hash-checking mode (pip's --require-hashes,"
                  + " on as soon as one requirement has --hash) every requirement must be pinned with"
                  + " == and have a --hash. Remedy: write it as 'alpha==1.0 --hash=sha256:"
                  + alpha
                  + "'"),
          unpinned.errors().stream().map(PlanIssue::line).toList());

      DependencyPlan required =
          plan(
              index.url(),
              "--require-hashes\nalpha==1.0\n" + line + "\n",
              PlanOptions.DEFAULTS,
              DependencyListener.NONE);
      assertEquals(
          List.of("alpha"),
          required.errors().stream().map(PlanIssue::project).toList(),
          required.render());

      // A wheel path names one file: pinned as pip sees it, a --hash is all it needs.
      Path artifact = Files.createDirectories(work.resolve("artifact"));
      try (java.util.stream.Stream<Path> files = Files.list(wheels)) {
        Path wheel =
            files
                .filter(f -> f.getFileName().toString().startsWith("alpha-1.0-"))
                .findFirst()
                .orElseThrow();
        Files.copy(
            wheel, artifact.resolve(wheel.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        DependencyPlan direct =
            plan(
                index.url(),
                "./" + wheel.getFileName() + " --hash=sha256:" + alpha + "\n" + line + "\n",
                PlanOptions.DEFAULTS,
                DependencyListener.NONE);
        assertTrue(direct.ok(), direct.render());
      }
    }
  }

  private static String wheelSha256(String prefix) throws IOException {
    try (java.util.stream.Stream<Path> files = Files.list(wheels)) {
      Path wheel =
          files
              .filter(f -> f.getFileName().toString().startsWith(prefix))
              .findFirst()
              .orElseThrow();
      return org.odahu.pack.pydeps.index.PackageFinder.sha256(wheel);
    }
  }

  @Test
  void aHashThatDoesNotMatchIsRefused() throws IOException {
    List<String> errors = errors("epsilon==1.0 --hash=sha256:" + "0".repeat(64) + "\n");
    assertEquals(1, errors.size());
    assertTrue(
        errors
            .get(0)
            .startsWith(
                "epsilon==1.0 (requirements.txt:1): no wheel matches its --hash (epsilon-1.0-py3-none-any.whl has sha256 "),
        errors.get(0));
    assertTrue(
        errors
            .get(0)
            .endsWith("). Remedy: check the --hash values against the wheels of the index"),
        errors.get(0));
  }
}
