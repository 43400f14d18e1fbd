package org.odahu.pack.pydeps.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.pydeps.LocalEnvironment;
import org.odahu.pack.pydeps.PythonDependencies;
import org.odahu.pack.pydeps.common.DependencyListener;
import org.odahu.pack.pydeps.declare.DeclarationFiles;
import org.odahu.pack.pydeps.declare.DeclaredDependencies;
import org.odahu.pack.pydeps.image.DirectoryImageRoot;
import org.odahu.pack.pydeps.image.TargetEnvironment;
import org.odahu.pack.pydeps.image.TargetHints;
import org.odahu.pack.pydeps.index.PackageSourceException;
import org.odahu.pack.pydeps.index.PackageSources;
import org.odahu.pack.pydeps.plan.DependencyPlan;
import org.odahu.pack.pydeps.plan.PlanOptions;
import org.odahu.pack.pydeps.plan.PlannedWheel;
import org.odahu.pack.pydeps.plan.ProvidedPackage;
import org.odahu.pack.pydeps.testing.TestIndex;
import org.odahu.pack.pydeps.testing.TestPackages;
import org.odahu.pack.pydeps.testing.Trees;

/**
 * Plans a model's requirements for the host's own Debian 12 root standing in for the base image,
 * installs them from a real index on loopback and imports them with the real interpreter.
 */
class DependencyInstallIT {
  private static final String PYTHON = System.getProperty("odahu.python", "/usr/bin/python3");

  @TempDir static Path wheels;
  @TempDir Path work;

  @BeforeAll
  static void buildPackages() throws IOException, InterruptedException {
    TestPackages.write(wheels, PYTHON);
  }

  private static TargetEnvironment debianHost() {
    return new PythonDependencies(
            Path.of("unused"),
            PackageSources.index("http://127.0.0.1:1/simple"),
            DependencyListener.NONE)
        .target(
            new DirectoryImageRoot(Path.of("/")),
            new TargetHints(TargetHints.DEFAULT_PATH, PYTHON, Optional.empty()));
  }

  private DeclaredDependencies declare(PythonDependencies deps, String requirements)
      throws IOException {
    Path artifact = Files.createDirectories(work.resolve("artifact"));
    Files.writeString(artifact.resolve("requirements.txt"), requirements);
    return deps.read(
        artifact,
        new DeclarationFiles(Optional.empty(), Optional.of("requirements.txt"), Optional.empty()),
        Map.of());
  }

  private static String run(Map<String, String> environment, String... command)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().putAll(environment);
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), out);
    return out;
  }

  @Test
  void installsForTheTargetAndTheRealInterpreterImportsIt() throws Exception {
    try (TestIndex index = TestIndex.start(wheels).yank("beta-2.1-py3-none-any.whl", "broken")) {
      List<String> events = new ArrayList<>();
      PythonDependencies deps =
          new PythonDependencies(
              work.resolve("cache"), PackageSources.index(index.url()), events::add);
      DeclaredDependencies declared =
          declare(deps, "alpha[fast]\nnumpy>=1.20\nepsilon\nbeta>=2\nmodern\n");
      DependencyPlan plan = deps.plan(declared, debianHost(), PlanOptions.DEFAULTS);

      assertTrue(plan.ok(), plan.render());
      assertEquals(List.of("numpy"), plan.provided().stream().map(ProvidedPackage::name).toList());
      assertEquals(
          List.of(
              "alpha-1.0-py3-none-any.whl",
              "beta-2.0-py3-none-any.whl",
              "delta-1.0-py3-none-any.whl",
              "epsilon-1.0-py3-none-any.whl",
              "fastmath-1.0-cp311-cp311-manylinux_2_17_x86_64.whl",
              "modern-0.9-py3-none-any.whl"),
          plan.install().stream().map(PlannedWheel::filename).toList());
      assertTrue(plan.render().contains("fastmath 1.0"), plan.render());

      InstalledTree tree = deps.install(plan, PythonDependencies.IMAGE_PREFIX);
      Map<String, String> environment =
          Map.of(
              "PYTHONPATH",
              tree.sitePackages().toString(),
              "PYTHONDONTWRITEBYTECODE",
              "1",
              "PATH",
              "/usr/bin:/bin");
      String imported =
          run(
              environment,
              PYTHON,
              "-c",
              "import alpha, fastmath, numpy, epsilon, modern\n"
                  + "print(alpha.hello(), fastmath.add(2, 3), epsilon.V, modern.V)\n"
                  + "print(numpy.__file__)");
      assertTrue(
          imported.startsWith("alpha+beta2.0 5 1 0.9\n/usr/lib/python3/dist-packages/numpy"),
          imported);

      Path script = tree.root().resolve("bin/delta-hello");
      assertEquals(
          "rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(script)));
      assertTrue(
          Files.readString(script).startsWith("#!" + PYTHON + "\n"), Files.readString(script));
      assertEquals("delta says hi\n", run(environment, script.toString()));
      Path raw = tree.root().resolve("bin/delta-raw");
      assertTrue(Files.readString(raw).startsWith("#!" + PYTHON + "\n"), Files.readString(raw));
      assertEquals("raw delta\n", run(environment, raw.toString()));

      String so = "site-packages/fastmath.cpython-311-x86_64-linux-gnu.so";
      assertEquals(
          "rwxr-xr-x",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(tree.root().resolve(so))));
      assertEquals(
          "rw-r--r--",
          PosixFilePermissions.toString(
              Files.getPosixFilePermissions(tree.root().resolve("site-packages/beta.py"))));
      assertEquals(
          "odahu-pack\n",
          Files.readString(tree.root().resolve("site-packages/delta-1.0.dist-info/INSTALLER")));
      String record =
          Files.readString(tree.root().resolve("site-packages/delta-1.0.dist-info/RECORD"));
      assertTrue(record.startsWith("../bin/delta-hello,sha256="), record);
      assertTrue(record.contains("../bin/delta-raw,sha256="), record);
      List<String> paths = Trees.list(tree.root());
      assertFalse(
          paths.stream().anyMatch(p -> p.endsWith(".pyc") || p.contains("__pycache__")),
          paths.toString());
      assertFalse(
          paths.stream().anyMatch(p -> p.contains("gamma")),
          "gamma's marker is false for Python 3.11");
      assertEquals(
          Map.of(
              "PYTHONPATH",
              "/opt/odahu-pack/deps/site-packages",
              "PATH",
              "/opt/odahu-pack/deps/bin:/usr/bin"),
          tree.environment(Map.of("PATH", "/usr/bin")));
      assertTrue(
          events.stream()
              .anyMatch(
                  e ->
                      e.startsWith(
                          "Downloading alpha-1.0-py3-none-any.whl from http://127.0.0.1:")),
          events.toString());
    }
  }

  @Test
  void aLocalEnvironmentServesTheHostsWorkers() throws Exception {
    try (TestIndex index = TestIndex.start(wheels)) {
      PythonDependencies deps =
          new PythonDependencies(
              work.resolve("cache"), PackageSources.index(index.url()), DependencyListener.NONE);
      LocalEnvironment local =
          deps.local(declare(deps, "alpha\nnumpy\n"), PYTHON, PlanOptions.DEFAULTS);
      assertEquals(
          List.of("numpy"), local.plan().provided().stream().map(ProvidedPackage::name).toList());
      Map<String, String> environment =
          new java.util.HashMap<>(local.environment(Map.of("PATH", "/usr/bin:/bin")));
      String out = run(environment, PYTHON, "-c", "import alpha; print(alpha.hello())");
      assertEquals("alpha+beta2.1\n", out);
      assertEquals("delta says hi\n", run(environment, "/bin/sh", "-c", "delta-hello"));
      assertFalse(
          Trees.list(local.tree().root()).stream().anyMatch(p -> p.contains("__pycache__")),
          "bytecode goes to the pycache prefix");
      assertTrue(
          deps.local(declare(deps, "alpha\nnumpy\n"), PYTHON, PlanOptions.DEFAULTS)
              .tree()
              .reused());
    }
  }

  @Test
  void aCachedWheelDamagedOnDiskIsFetchedAgain() throws Exception {
    Path cache = work.resolve("cache");
    try (TestIndex index = TestIndex.start(wheels)) {
      PythonDependencies deps =
          new PythonDependencies(cache, PackageSources.index(index.url()), DependencyListener.NONE);
      DependencyPlan cold = deps.plan(declare(deps, "alpha\n"), debianHost(), PlanOptions.DEFAULTS);
      String first = Trees.digest(deps.install(cold, PythonDependencies.IMAGE_PREFIX).root());
      org.odahu.pack.pydeps.cache.DependencyCache.deleteTree(cache.resolve("trees"));
      List<Path> cached;
      try (var files = Files.walk(cache.resolve("wheels"))) {
        cached = files.filter(f -> f.toString().endsWith(".whl")).toList();
      }
      assertFalse(cached.isEmpty());
      for (Path wheel : cached) {
        Files.writeString(wheel, "damaged");
      }

      PythonDependencies again =
          new PythonDependencies(cache, PackageSources.index(index.url()), DependencyListener.NONE);
      DependencyPlan plan =
          again.plan(declare(again, "alpha\n"), debianHost(), PlanOptions.DEFAULTS);
      assertEquals(cold.install(), plan.install());
      assertEquals(
          first, Trees.digest(again.install(plan, PythonDependencies.IMAGE_PREFIX).root()));
      for (Path wheel : cached) {
        assertEquals(
            wheel.getParent().getFileName().toString(),
            org.odahu.pack.pydeps.index.PackageFinder.sha256(wheel));
      }
    }
  }

  @Test
  void aCachedTreeDamagedOnDiskIsInstalledAgain() throws Exception {
    Path cache = work.resolve("cache");
    try (TestIndex index = TestIndex.start(wheels)) {
      PythonDependencies deps =
          new PythonDependencies(cache, PackageSources.index(index.url()), DependencyListener.NONE);
      DependencyPlan plan = deps.plan(declare(deps, "alpha\n"), debianHost(), PlanOptions.DEFAULTS);
      InstalledTree tree = deps.install(plan, PythonDependencies.IMAGE_PREFIX);
      String first = Trees.digest(tree.root());
      assertTrue(deps.install(plan, PythonDependencies.IMAGE_PREFIX).reused());
      List<Path> files;
      try (var all = Files.walk(tree.root().resolve("site-packages"))) {
        files = all.filter(f -> f.toString().endsWith(".py")).toList();
      }
      assertFalse(files.isEmpty());
      Files.delete(files.get(0));
      InstalledTree again = deps.install(plan, PythonDependencies.IMAGE_PREFIX);
      assertFalse(again.reused(), "a file its RECORD lists is missing");
      assertEquals(first, Trees.digest(again.root()));
      assertTrue(deps.install(plan, PythonDependencies.IMAGE_PREFIX).reused(), "whole again");
    }
  }

  @Test
  void aWarmCacheGivesTheSameTreeByteForByteWithTheIndexStopped() throws Exception {
    Path cache = work.resolve("cache");
    String url;
    String first;
    DependencyPlan cold;
    try (TestIndex index = TestIndex.start(wheels).withJson().withCoreMetadata()) {
      url = index.url();
      PythonDependencies deps =
          new PythonDependencies(cache, PackageSources.index(url), DependencyListener.NONE);
      cold = deps.plan(declare(deps, "alpha\n"), debianHost(), PlanOptions.DEFAULTS);
      InstalledTree tree = deps.install(cold, PythonDependencies.IMAGE_PREFIX);
      assertFalse(tree.reused());
      first = Trees.digest(tree.root());
    }
    org.odahu.pack.pydeps.cache.DependencyCache.deleteTree(cache.resolve("trees"));

    PythonDependencies stopped =
        new PythonDependencies(cache, PackageSources.index(url), DependencyListener.NONE);
    DependencyPlan warm =
        stopped.plan(declare(stopped, "alpha\n"), debianHost(), PlanOptions.DEFAULTS);
    assertTrue(warm.reused(), warm.render());
    assertEquals(cold.install(), warm.install());
    InstalledTree again = stopped.install(warm, PythonDependencies.IMAGE_PREFIX);
    assertFalse(again.reused());
    assertEquals(first, Trees.digest(again.root()));
    assertTrue(stopped.install(warm, PythonDependencies.IMAGE_PREFIX).reused());

    PythonDependencies refreshing =
        new PythonDependencies(cache, PackageSources.index(url), DependencyListener.NONE);
    PackageSourceException down =
        assertThrows(
            PackageSourceException.class,
            () ->
                refreshing.plan(
                    declare(refreshing, "alpha\n"),
                    debianHost(),
                    PlanOptions.DEFAULTS.withRefresh(true)));
    assertEquals("Cannot reach " + url + "/alpha/: connection refused", down.getMessage());
  }
}
