package org.odahu.pack.pydeps.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.odahu.pack.pydeps.testing.WheelBuilder.wheel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.pydeps.cache.DependencyCache;
import org.odahu.pack.pydeps.common.DependencyException;
import org.odahu.pack.pydeps.common.DependencyListener;
import org.odahu.pack.pydeps.common.PlanIssue;
import org.odahu.pack.pydeps.declare.DeclarationReader;
import org.odahu.pack.pydeps.declare.DeclaredDependencies;
import org.odahu.pack.pydeps.image.InstalledDistribution;
import org.odahu.pack.pydeps.image.TargetEnvironment;
import org.odahu.pack.pydeps.index.PackageFinder;
import org.odahu.pack.pydeps.index.PackageSources;
import org.odahu.pack.pydeps.pep440.Version;
import org.odahu.pack.pydeps.pep508.Requirement;
import org.odahu.pack.pydeps.tags.Libc;
import org.odahu.pack.pydeps.testing.TestIndex;
import org.odahu.pack.pydeps.testing.WheelBuilder;

/** Resolution from a local wheelhouse (an offline build), for a target given as a value. */
class ResolverTest {
  @TempDir Path wheelhouse;
  @TempDir Path artifact;
  @TempDir Path cache;

  private static final TargetEnvironment TARGET =
      debianPython(
          new InstalledDistribution(
              "Baz",
              Version.parse("2.0"),
              "/usr/lib/python3/dist-packages/baz-2.0.dist-info",
              List.of(
                  Requirement.parse("six"), Requirement.parse("pysocks>=1.5 ; extra == 'socks'"))));

  /** A base with scikit-learn, which requires scipy, which requires numpy below 1.27. */
  private static final TargetEnvironment SCIENTIFIC_BASE =
      debianPython(
          base("numpy", "1.24.2"),
          base("scipy", "1.10.1", "numpy<1.27.0,>=1.19.5"),
          base("scikit-learn", "1.2.1", "numpy>=1.17.3", "scipy>=1.3.2", "absent-dep"));

  /** Debian 12's CPython 3.11 on x86_64 with {@code installed} in its dist-packages. */
  static TargetEnvironment debianPython(InstalledDistribution... installed) {
    return new TargetEnvironment(
        "/usr/bin/python3",
        "3.11.2",
        "x86_64",
        Optional.of(Libc.glibc(2, 36)),
        List.of("/usr/lib/python3/dist-packages"),
        List.of(installed),
        List.of());
  }

  private static InstalledDistribution base(String name, String version, String... requires) {
    return new InstalledDistribution(
        name,
        Version.parse(version),
        "/usr/lib/python3/dist-packages/" + name + "-" + version + ".dist-info",
        java.util.Arrays.stream(requires).map(Requirement::parse).toList());
  }

  private DependencyPlan plan(String requirements, PlanOptions options) throws IOException {
    return plan(requirements, options, TARGET);
  }

  private DependencyPlan plan(String requirements, PlanOptions options, TargetEnvironment target)
      throws IOException {
    Files.writeString(artifact.resolve("requirements.txt"), requirements);
    DeclaredDependencies declared =
        new DeclarationReader(artifact, Map.of()).readRequirements("requirements.txt");
    return new DependencyPlanner(
            PackageSources.wheelhouse(wheelhouse),
            new DependencyCache(cache),
            DependencyListener.NONE)
        .plan(declared, target, options);
  }

  private static List<String> installed(DependencyPlan plan) {
    return plan.install().stream().map(w -> w.name() + " " + w.version()).toList();
  }

  @Test
  void extrasAskedForLaterBringTheirRequirementsToo() throws IOException {
    wheel("kappa", "1.0")
        .file("kappa.py", "")
        .extra("more")
        .requires("lam ; extra == 'more'")
        .write(wheelhouse);
    wheel("lam", "1.0").file("lam.py", "").write(wheelhouse);
    wheel("user", "1.0").file("user.py", "").requires("kappa[more]>=1").write(wheelhouse);
    DependencyPlan plan = plan("kappa\nuser\n", PlanOptions.DEFAULTS);
    assertEquals(List.of("kappa 1.0", "lam 1.0", "user 1.0"), installed(plan), plan.render());
    assertEquals(List.of("kappa 1.0 <- requirements.txt:1"), plan.install().get(1).requiredBy());
  }

  @Test
  void anExtraThePackageDoesNotProvideIsAWarningAsWithPip() throws IOException {
    wheel("kappa", "1.0")
        .file("kappa.py", "")
        .extra("more")
        .requires("lam ; extra == 'more'")
        .write(wheelhouse);
    wheel("lam", "1.0").file("lam.py", "").requires("kappa[Typo_Extra]").write(wheelhouse);
    DependencyPlan plan = plan("kappa[more,nosuch]\n", PlanOptions.DEFAULTS);
    assertTrue(plan.ok(), plan.render());
    assertEquals(List.of("kappa 1.0", "lam 1.0"), installed(plan), plan.render());
    assertEquals(
        List.of(
            "kappa[more,nosuch] (requirements.txt:1; lam 1.0 <- kappa 1.0 <- requirements.txt:1):"
                + " kappa 1.0 does not provide the extras 'nosuch', 'typo-extra'; it is installed"
                + " without them. Remedy: check the name (kappa 1.0 provides more)"),
        plan.warnings().stream().map(PlanIssue::line).toList());
    assertEquals(
        List.of(PlanIssue.Kind.UNKNOWN_EXTRA),
        plan("lam\n", PlanOptions.DEFAULTS).warnings().stream().map(PlanIssue::kind).toList());
    assertTrue(plan("kappa\n", PlanOptions.DEFAULTS).warnings().isEmpty());
  }

  @Test
  void theBasesPackageIsKeptAndOnlyItsExtrasAreAdded() throws IOException {
    wheel("baz", "3.0").file("baz.py", "").write(wheelhouse);
    wheel("pysocks", "1.7").file("socks.py", "").write(wheelhouse);
    DependencyPlan plan = plan("baz[socks]>=1\n", PlanOptions.DEFAULTS);
    assertEquals(
        List.of("Baz 2.0"),
        plan.provided().stream().map(p -> p.name() + " " + p.version()).toList(),
        plan.render());
    assertEquals(List.of("pysocks 1.7"), installed(plan), "six is the base's own business");
  }

  @Test
  void aWheelInstalledOverTheBasesPackageMeetsTheBasesOtherPackagesAsWithPip() throws IOException {
    wheel("mat", "1.0").file("mat.py", "").requires("numpy>=1.25").write(wheelhouse);
    wheel("numpy", "1.26.4").file("numpy.py", "").write(wheelhouse);
    wheel("numpy", "2.0.0").file("numpy.py", "").write(wheelhouse);
    // scipy named, or required by scikit-learn: its numpy<1.27 holds, as pip holds it.
    for (String requirements : List.of("mat\nscipy\n", "scikit-learn\nmat\n")) {
      DependencyPlan plan = plan(requirements, PlanOptions.DEFAULTS, SCIENTIFIC_BASE);
      assertEquals(List.of("mat 1.0", "numpy 1.26.4"), installed(plan), plan.render());
    }
    // Nothing installed for a base package's requirement the base lacks (absent-dep).
    DependencyPlan plan = plan("scikit-learn\n", PlanOptions.DEFAULTS, SCIENTIFIC_BASE);
    assertEquals(List.of(), installed(plan), plan.render());
    // Without the base's scipy in the resolution, numpy takes the highest version, as with pip.
    plan = plan("mat\n", PlanOptions.DEFAULTS, SCIENTIFIC_BASE);
    assertEquals(List.of("mat 1.0", "numpy 2.0.0"), installed(plan), plan.render());
  }

  @Test
  void aBaseRequirementWaitingForItsProjectAppliesWhateverTheOrderOfTheLines() throws IOException {
    // The base's apps requires blas<2, which the base's blas 2.1 does not meet: nothing is
    // installed for that alone, but once calc requires blas, blas<2 holds in either order.
    TargetEnvironment base = debianPython(base("blas", "2.1"), base("apps", "1.0", "blas<2"));
    wheel("calc", "1.0").file("calc.py", "").requires("blas").write(wheelhouse);
    wheel("blas", "1.5").file("blas.py", "").write(wheelhouse);
    wheel("blas", "2.2").file("blas.py", "").write(wheelhouse);
    assertEquals(List.of(), installed(plan("apps\n", PlanOptions.DEFAULTS, base)));
    for (String requirements : List.of("apps\ncalc\n", "calc\napps\n")) {
      DependencyPlan plan = plan(requirements, PlanOptions.DEFAULTS, base);
      assertEquals(List.of("blas 1.5", "calc 1.0"), installed(plan), requirements + plan.render());
    }
  }

  @Test
  void aPackagesUnusableDirectReferenceOnlyRulesThatReleaseOut() throws IOException {
    // pip passes over a candidate whose own requirement it cannot use; so does the resolver.
    wheel("lib", "2.0")
        .file("lib.py", "")
        .requires("dep @ https://x.example/dep-1.0.tar.gz")
        .write(wheelhouse);
    wheel("lib", "1.0").file("lib.py", "").write(wheelhouse);
    DependencyPlan plan = plan("lib\n", PlanOptions.DEFAULTS);
    assertEquals(List.of("lib 1.0"), installed(plan), plan.render());
  }

  @Test
  void aPercentEncodedDirectUrlMeetsTheOtherRequirementsOnItsProject() throws IOException {
    Path local = Files.createDirectories(artifact.resolve("local"));
    Path alpha = wheel("alpha", "1.1+local.1").file("alpha.py", "").write(local);
    wheel("beta", "1.0").file("beta.py", "").requires("alpha>=1.0").write(wheelhouse);
    String url = alpha.toUri().toString().replace("+", "%2B");
    assertTrue(url.contains("%2Blocal"), url);
    DependencyPlan plan = plan("alpha @ " + url + "\nbeta\n", PlanOptions.DEFAULTS);
    assertEquals(List.of("alpha 1.1+local.1", "beta 1.0"), installed(plan), plan.render());
  }

  @Test
  void aLinuxTaggedWheelIsForTheMachinesOwnPythonOnly() throws IOException {
    wheel("ol", "1.0").tag("cp311-cp311-linux_x86_64").file("ol.py", "").write(wheelhouse);
    assertFalse(plan("ol\n", PlanOptions.DEFAULTS).ok(), "an image's base may lack its libraries");
    assertEquals(List.of("ol 1.0"), installed(plan("ol\n", PlanOptions.LOCAL)));
  }

  @Test
  void preReleasesOnlyWhenNothingElseOrAsked() throws IOException {
    wheel("rho", "1.0").file("rho.py", "").write(wheelhouse);
    wheel("rho", "2.0b1").file("rho.py", "").write(wheelhouse);
    wheel("sigma", "0.1a1").file("sigma.py", "").write(wheelhouse);
    assertEquals(
        List.of("rho 1.0", "sigma 0.1a1"), installed(plan("rho\nsigma\n", PlanOptions.DEFAULTS)));
    assertEquals(
        List.of("rho 2.0b1", "sigma 0.1a1"),
        installed(plan("--pre\nrho\nsigma\n", PlanOptions.DEFAULTS)));
  }

  @Test
  void aWheelInsideTheArtifactIsUsedDirectly() throws IOException {
    Path wheels = Files.createDirectories(artifact.resolve("wheels"));
    wheel("private-lib", "0.3").file("private_lib.py", "").requires("lam").write(wheels);
    wheel("lam", "1.0").file("lam.py", "").write(wheelhouse);
    DependencyPlan plan = plan("./wheels/private_lib-0.3-py3-none-any.whl\n", PlanOptions.DEFAULTS);
    assertEquals(List.of("lam 1.0", "private-lib 0.3"), installed(plan), plan.render());
  }

  @Test
  void aWheelInsideTheArtifactRebuiltUnderItsNameIsResolvedAgain() throws IOException {
    Path wheels = Files.createDirectories(artifact.resolve("wheels"));
    Path built = wheel("mypkg", "0.1").file("mypkg.py", "first = 1\n").write(wheels);
    Files.setLastModifiedTime(built, FileTime.fromMillis(1_000_000));
    DependencyPlan first = plan("wheels/mypkg-0.1-py3-none-any.whl\n", PlanOptions.DEFAULTS);
    DependencyPlan same = plan("wheels/mypkg-0.1-py3-none-any.whl\n", PlanOptions.DEFAULTS);
    assertTrue(same.reused(), "nothing changed: " + same.render());

    wheel("mypkg", "0.1").file("mypkg.py", "second = 2\n").write(wheels);
    Files.setLastModifiedTime(built, FileTime.fromMillis(2_000_000));
    DependencyPlan rebuilt = plan("wheels/mypkg-0.1-py3-none-any.whl\n", PlanOptions.DEFAULTS);
    assertFalse(rebuilt.reused(), rebuilt.render());
    assertEquals(PackageFinder.sha256(built), rebuilt.install().get(0).sha256());
    assertNotEquals(first.install().get(0).sha256(), rebuilt.install().get(0).sha256());
  }

  @Test
  void theFileAHashAllowsIsFoundOnAnotherIndexUnderTheSameName(
      @TempDir Path first, @TempDir Path second) throws IOException {
    String other = localIndex(first, wheel("twosrc", "1.0").file("twosrc.py", "a = 1\n"));
    String allowed = localIndex(second, wheel("twosrc", "1.0").file("twosrc.py", "b = 2\n"));
    assertNotEquals(other, allowed);
    Files.writeString(
        artifact.resolve("requirements.txt"), "twosrc==1.0 --hash=sha256:" + allowed + "\n");
    DeclaredDependencies declared =
        new DeclarationReader(artifact, Map.of()).readRequirements("requirements.txt");
    DependencyPlan plan =
        new DependencyPlanner(
                PackageSources.index(first.toUri().toString())
                    .withExtraIndexUrls(List.of(second.toUri().toString())),
                new DependencyCache(cache),
                DependencyListener.NONE)
            .plan(declared, TARGET, PlanOptions.DEFAULTS);
    assertTrue(plan.ok(), plan.render());
    assertEquals(allowed, plan.install().get(0).sha256(), plan.render());
  }

  /** A PEP 503 tree on disk with one wheel, linked with its sha256; returns that sha256. */
  private static String localIndex(Path root, WheelBuilder builder) throws IOException {
    Path wheel = builder.write(Files.createDirectories(root.resolve("files")));
    String sha256 = PackageFinder.sha256(wheel);
    Path page = Files.createDirectories(root.resolve("twosrc")).resolve("index.html");
    Files.writeString(
        page,
        "<a href=\"../files/"
            + wheel.getFileName()
            + "#sha256="
            + sha256
            + "\">"
            + wheel.getFileName()
            + "</a>\n");
    return sha256;
  }

  @Test
  void aRequiresPythonWithATrailingCommaIsReadAsPipReadsIt() throws IOException {
    wheel("tau", "1.0").file("tau.py", "").write(wheelhouse);
    wheel("tau", "2.0").file("tau.py", "").requiresPython(">=3.12,").write(wheelhouse);
    assertEquals(List.of("tau 1.0"), installed(plan("tau\n", PlanOptions.DEFAULTS)));
  }

  @Test
  void aPinnedReleaseWhoseMetadataRequiresAnotherPythonIsNamedWithThatPython() throws IOException {
    wheel("rp3", "1.0").file("rp3.py", "").write(wheelhouse);
    wheel("rp3", "2.0").file("rp3.py", "").requiresPython(">=3.12").write(wheelhouse);
    wheel("usesrp3", "1.0").file("usesrp3.py", "").requires("rp3>=2").write(wheelhouse);
    String remedy =
        ". Remedy: use a dockerfileBaseImage whose Python is in that range, or a version of rp3"
            + " for Python 3.11 (versions with a wheel for the target: 1.0)";
    assertEquals(
        List.of(
            "rp3==2.0 (requirements.txt:1): rp3 2.0 requires a different Python: 3.11.2 not in"
                + " '>=3.12'"
                + remedy),
        plan("rp3==2.0\n", PlanOptions.DEFAULTS).errors().stream().map(PlanIssue::line).toList());
    assertEquals(
        List.of(
            "rp3>=2 (usesrp3 1.0 <- requirements.txt:1): rp3 2.0 requires a different Python:"
                + " 3.11.2 not in '>=3.12'"
                + remedy),
        plan("usesrp3\n", PlanOptions.DEFAULTS).errors().stream().map(PlanIssue::line).toList());
    assertEquals(List.of("rp3 1.0"), installed(plan("rp3\n", PlanOptions.DEFAULTS)));
  }

  @Test
  void aWheelWhoseFileNameAndMetadataDisagreeOnTheVersionIsRefused() throws IOException {
    Path built = wheel("liar", "2.0").file("liar.py", "").write(wheelhouse);
    Files.move(built, wheelhouse.resolve("liar-3.0-py3-none-any.whl"));
    DependencyException e =
        assertThrows(DependencyException.class, () -> plan("liar\n", PlanOptions.DEFAULTS));
    assertTrue(e.getMessage().startsWith("liar-3.0-py3-none-any.whl from "), e.getMessage());
    assertTrue(
        e.getMessage()
            .endsWith(
                " has an inconsistent version: its file name says 3.0, its METADATA says 2.0; pip"
                    + " refuses such a wheel. Remedy: rebuild the wheel so that both agree, or"
                    + " require another release"),
        e.getMessage());
    built = wheel("other", "1.0").file("other.py", "").write(wheelhouse);
    Files.move(built, wheelhouse.resolve("Name_Taker-1.0-py3-none-any.whl"));
    e = assertThrows(DependencyException.class, () -> plan("name.taker\n", PlanOptions.DEFAULTS));
    assertTrue(
        e.getMessage()
            .endsWith(
                " has an inconsistent name: its file name says name-taker, its METADATA says"
                    + " other; pip refuses such a wheel. Remedy: rebuild the wheel so that both"
                    + " agree"),
        e.getMessage());
  }

  @Test
  void aMissingWheelOfAFileUrlIsSaidToBeMissing() throws IOException {
    Path missing = wheelhouse.resolve("gone/foo-1.0-py3-none-any.whl");
    DependencyException e =
        assertThrows(
            DependencyException.class,
            () -> plan("foo @ " + missing.toUri() + "\n", PlanOptions.DEFAULTS));
    assertEquals("Cannot read " + missing + ": no such file", e.getMessage());
  }

  @Test
  void aDirectReferenceToAWheelOfAnotherProjectIsAClearError() throws IOException {
    Path wheels = Files.createDirectories(artifact.resolve("wheels"));
    Path other = wheel("hrefs", "2.0").file("hrefs.py", "").write(wheels);
    DependencyException e =
        assertThrows(
            DependencyException.class,
            () -> plan("Foo @ " + other.toUri() + "\n", PlanOptions.DEFAULTS));
    assertEquals(
        "foo @ "
            + other.toUri()
            + " (requirements.txt:1): the wheel hrefs-2.0-py3-none-any.whl is of the project"
            + " 'hrefs', not 'foo' (inconsistent name). Remedy: name the wheel's project before"
            + " '@', or point the URL at a wheel of 'foo'",
        e.getMessage());
  }

  @Test
  void aDirectReferenceToAnSdistOrAWheelForAnotherPlatformIsRefusedAsSuch() throws IOException {
    Path wheels = Files.createDirectories(artifact.resolve("wheels"));
    Path old = wheels.resolve("foo-1.0-cp27-cp27mu-manylinux1_x86_64.whl");
    Files.copy(wheel("foo", "1.0").file("foo.py", "").write(wheelhouse), old);
    Path sdist = Files.writeString(wheels.resolve("foo-1.0.tar.gz"), "");
    String message =
        assertThrows(
                DependencyException.class,
                () -> plan("foo @ " + old.toUri() + "\n", PlanOptions.DEFAULTS))
            .getMessage();
    assertTrue(
        message.endsWith(
            " foo-1.0-cp27-cp27mu-manylinux1_x86_64.whl is not a supported wheel for "
                + TARGET.describe()
                + ". Remedy: point the URL at a wheel for that Python and platform, or use a"
                + " dockerfileBaseImage that matches the wheel"),
        message);
    message =
        assertThrows(
                DependencyException.class,
                () -> plan("foo @ " + sdist.toUri() + "\n", PlanOptions.DEFAULTS))
            .getMessage();
    assertTrue(
        message.endsWith(
            " foo-1.0.tar.gz is not a wheel; odahu-pack installs wheels only. Remedy: build one with 'pip wheel' and point the URL at it"),
        message);
  }

  @Test
  void aTokenGivenAsUserWithAnEmptyPasswordIsNeverShownNorCached() throws IOException {
    wheel("lam", "1.0").file("lam.py", "").write(wheelhouse);
    DependencyPlan plan =
        plan(
            "lam\nfoo @ http://TOKEN123:@127.0.0.1:1/files/foo-1.0-py3-none-any.whl"
                + " ; python_version < '3'\n",
            PlanOptions.DEFAULTS);
    assertTrue(plan.render().contains("foo @ http://****@127.0.0.1:1/files/"), plan.render());
    assertFalse(plan.render().contains("TOKEN123"), plan.render());
    try (var files = Files.walk(cache)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        assertFalse(
            new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1)
                .contains("TOKEN123"),
            file.toString());
      }
    }
  }

  @Test
  void aDirectUrlsCredentialsGoToItsHost(@TempDir Path served) throws IOException {
    wheel("foo", "1.0").file("foo.py", "").write(served);
    try (TestIndex host = TestIndex.start(served).withCredentials("alice", "s3cr3t")) {
      String url =
          host.url("alice", "s3cr3t").replace("/simple", "/files/foo-1.0-py3-none-any.whl");
      DependencyPlan plan = plan("foo @ " + url + "\n", PlanOptions.DEFAULTS);
      assertEquals(List.of("foo 1.0"), installed(plan), plan.render());
      assertFalse(plan.render().contains("s3cr3t"), plan.render());
    }
  }

  @Test
  void condaOnlyPackagesAreWarningsThatStrictMakesErrors() throws IOException {
    wheel("numpy", "1.24.2").file("numpy.py", "").write(wheelhouse);
    Files.writeString(artifact.resolve("conda.yaml"), "dependencies:\n  - numpy\n  - mkl=2020.2\n");
    DeclaredDependencies declared =
        new DeclarationReader(artifact, Map.of()).readCondaYaml("conda.yaml");
    DependencyPlanner planner =
        new DependencyPlanner(
            PackageSources.wheelhouse(wheelhouse),
            new DependencyCache(cache),
            DependencyListener.NONE);
    DependencyPlan plan = planner.plan(declared, TARGET, PlanOptions.DEFAULTS);
    assertEquals(
        List.of(
            "mkl=2020.2 (conda.yaml:3): a conda package no Python index provides; it is not installed, the base image must provide it. Remedy: use a dockerfileBaseImage that has it, or drop it from the conda file"),
        plan.warnings().stream().map(PlanIssue::line).toList());
    assertTrue(plan.ok());
    assertTrue(
        plan.render().contains("  warnings (1):\n    mkl=2020.2 (conda.yaml:3)"), plan.render());
    DependencyPlan strict = planner.plan(declared, TARGET, PlanOptions.DEFAULTS.withStrict(true));
    assertEquals(
        List.of(PlanIssue.Kind.CONDA_ONLY),
        strict.failures().stream().map(PlanIssue::kind).toList());
    assertTrue(strict.render().contains("warnings (errors: strict) (1)"), strict.render());
  }

  @Test
  void aHopelessSearchGivesUpWithAHint() throws IOException {
    for (int v = 1; v <= 30; v++) {
      wheel("tau", "1." + v).file("tau.py", "").requires("upsilon==9").write(wheelhouse);
    }
    wheel("upsilon", "1.0").file("upsilon.py", "").write(wheelhouse);
    DependencyPlan plan = plan("tau\n", new PlanOptions(false, false, false, false, 10));
    assertEquals(
        List.of(PlanIssue.Kind.TOO_COMPLEX), plan.errors().stream().map(PlanIssue::kind).toList());
    assertTrue(
        plan.errors().get(0).line().endsWith("Remedy: pin the versions of the main packages"),
        plan.errors().get(0).line());
    DependencyPlan patient = plan("tau\n", PlanOptions.DEFAULTS);
    assertEquals(
        "upsilon==9 (tau 1.30 <- requirements.txt:1): no release matches (available for the target: 1.0). Remedy: use a dockerfileBaseImage that provides upsilon==9, or relax the pin (versions with a wheel for the target: 1.0)",
        patient.errors().get(0).line());
  }

  @Test
  void whatTheBaseProvidesNeedsNoSourceAtAll() throws IOException {
    Files.writeString(artifact.resolve("requirements.txt"), "baz>=1\n");
    DeclaredDependencies declared =
        new DeclarationReader(artifact, Map.of()).readRequirements("requirements.txt");
    DependencyPlan plan =
        new DependencyPlanner(
                PackageSources.index("http://127.0.0.1:1/simple"),
                new DependencyCache(cache),
                DependencyListener.NONE)
            .plan(declared, TARGET, PlanOptions.DEFAULTS);
    assertTrue(plan.ok(), plan.render());
    assertTrue(plan.isEmpty(), plan.render());
    assertEquals(
        List.of("Baz 2.0"),
        plan.provided().stream().map(p -> p.name() + " " + p.version()).toList());
  }

  @Test
  void theSourcesAreAskedWhenTheBasesVersionDoesNotFitTheOtherPins() throws IOException {
    wheel("baz", "1.5").file("baz.py", "").write(wheelhouse);
    wheel("phi", "1.0").file("phi.py", "").requires("baz<2").write(wheelhouse);
    DependencyPlan plan = plan("baz>=1\nphi\n", PlanOptions.DEFAULTS);
    assertEquals(List.of("baz 1.5", "phi 1.0"), installed(plan), plan.render());
  }

  @Test
  void aFileIndexIsReadFromDiskAsPipReadsIt() throws IOException {
    Path files = Files.createDirectories(wheelhouse.resolve("files"));
    wheel("kappa", "1.0").file("kappa.py", "").write(files);
    Path wheelFile = files.resolve("kappa-1.0-py3-none-any.whl");
    Path page = Files.createDirectories(wheelhouse.resolve("simple/kappa")).resolve("index.html");
    Files.writeString(
        page,
        "<html><body><a href=\"../../files/kappa-1.0-py3-none-any.whl#sha256="
            + org.odahu.pack.pydeps.index.PackageFinder.sha256(wheelFile)
            + "\">kappa-1.0-py3-none-any.whl</a></body></html>\n");
    Files.writeString(artifact.resolve("requirements.txt"), "kappa\n");
    DeclaredDependencies declared =
        new DeclarationReader(artifact, Map.of()).readRequirements("requirements.txt");
    DependencyPlan plan =
        new DependencyPlanner(
                PackageSources.index(wheelhouse.resolve("simple").toUri().toString()),
                new DependencyCache(cache),
                DependencyListener.NONE)
            .plan(declared, TARGET, PlanOptions.DEFAULTS);
    assertEquals(List.of("kappa 1.0"), installed(plan), plan.render());
  }
}
