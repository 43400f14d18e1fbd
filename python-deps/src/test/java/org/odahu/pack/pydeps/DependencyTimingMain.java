package org.odahu.pack.pydeps;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.odahu.pack.pydeps.cache.DependencyCache;
import org.odahu.pack.pydeps.common.DependencyListener;
import org.odahu.pack.pydeps.declare.DeclarationFiles;
import org.odahu.pack.pydeps.declare.DeclaredDependencies;
import org.odahu.pack.pydeps.image.DirectoryImageRoot;
import org.odahu.pack.pydeps.image.TargetEnvironment;
import org.odahu.pack.pydeps.image.TargetHints;
import org.odahu.pack.pydeps.index.PackageSources;
import org.odahu.pack.pydeps.install.InstalledTree;
import org.odahu.pack.pydeps.plan.DependencyPlan;
import org.odahu.pack.pydeps.plan.PlanOptions;
import org.odahu.pack.pydeps.testing.TestIndex;
import org.odahu.pack.pydeps.testing.TestPackages;
import org.odahu.pack.pydeps.testing.Trees;

/**
 * Times planning and installing a 20-wheel set from a loopback index: cold (empty cache), warm
 * (cache kept, index stopped) and re-install (resolution and wheels cached, tree deleted). Not a
 * test: run it by hand, e.g. {@code java -cp ... org.odahu.pack.pydeps.DependencyTimingMain 7}.
 */
public final class DependencyTimingMain {
  private DependencyTimingMain() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    Path work = Files.createTempDirectory("deps-timing");
    Path wheels = Files.createDirectories(work.resolve("wheels"));
    TestPackages.writeChain(wheels, 20);
    Path artifact = Files.createDirectories(work.resolve("artifact"));
    Files.writeString(artifact.resolve("requirements.txt"), "pkg00\n");
    long detect = System.nanoTime();
    TargetEnvironment target =
        new PythonDependencies(
                work, PackageSources.index("http://127.0.0.1:1/simple"), DependencyListener.NONE)
            .target(
                new DirectoryImageRoot(Path.of("/")),
                new TargetHints(TargetHints.DEFAULT_PATH, "/usr/bin/python3", Optional.empty()));
    System.out.printf(
        Locale.ROOT, "target detection (host root): %.0f ms%n", (System.nanoTime() - detect) / 1e6);
    List<Double> cold = new ArrayList<>();
    List<Double> warm = new ArrayList<>();
    List<Double> reinstall = new ArrayList<>();
    InstalledTree tree = null;
    for (int round = 0; round < rounds; round++) {
      Path cache = work.resolve("cache" + round);
      String url;
      try (TestIndex index = TestIndex.start(wheels)) {
        url = index.url();
        cold.add(time(cache, url, artifact, target));
      }
      warm.add(time(cache, url, artifact, target));
      DependencyCache.deleteTree(cache.resolve("trees"));
      reinstall.add(time(cache, url, artifact, target));
      tree = install(cache, url, artifact, target);
    }
    System.out.printf(
        Locale.ROOT,
        "cold (download + plan + install): median %.0f ms of %s%n",
        median(cold),
        cold);
    System.out.printf(
        Locale.ROOT,
        "warm (index stopped, tree cached): median %.1f ms of %s%n",
        median(warm),
        warm);
    System.out.printf(
        Locale.ROOT,
        "re-install (index stopped, wheels cached): median %.0f ms of %s%n",
        median(reinstall),
        reinstall);
    System.out.printf(
        Locale.ROOT,
        "wheels: %d bytes, installed tree: %d bytes in %d entries%n",
        Trees.size(wheels),
        Trees.size(tree.root()),
        Trees.list(tree.root()).size());
    if (args.length > 1 && args[1].equals("keep")) {
      System.out.println("wheels kept in " + wheels);
    } else {
      DependencyCache.deleteTree(work);
    }
  }

  private static double time(Path cache, String url, Path artifact, TargetEnvironment target) {
    long start = System.nanoTime();
    install(cache, url, artifact, target);
    return (System.nanoTime() - start) / 1e6;
  }

  private static InstalledTree install(
      Path cache, String url, Path artifact, TargetEnvironment target) {
    PythonDependencies deps =
        new PythonDependencies(cache, PackageSources.index(url), DependencyListener.NONE);
    DeclaredDependencies declared =
        deps.read(
            artifact,
            new DeclarationFiles(
                Optional.empty(), Optional.of("requirements.txt"), Optional.empty()),
            Map.of());
    DependencyPlan plan = deps.plan(declared, target, PlanOptions.DEFAULTS);
    if (plan.install().size() != 20) {
      throw new IllegalStateException(plan.render());
    }
    return deps.install(plan, PythonDependencies.IMAGE_PREFIX);
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
