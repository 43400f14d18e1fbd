package org.odahu.pack.pydeps;

import java.util.Map;
import org.odahu.pack.pydeps.install.InstalledTree;
import org.odahu.pack.pydeps.plan.DependencyPlan;

/**
 * A model's dependencies installed for the host's Python, for local workers.
 *
 * @param plan the plan it was installed from (print it)
 * @param tree the installed tree, in the cache
 * @param pycache where the workers' interpreter writes bytecode, so that the cached tree stays as
 *     installed
 */
public record LocalEnvironment(
    DependencyPlan plan, InstalledTree tree, java.nio.file.Path pycache) {
  /**
   * The workers' environment: {@code PYTHONPATH} starting with the tree's {@code site-packages},
   * {@code PATH} with its scripts, {@code PYTHONPYCACHEPREFIX} out of the tree.
   *
   * @param hostEnvironment the environment the workers would otherwise get
   */
  public Map<String, String> environment(Map<String, String> hostEnvironment) {
    Map<String, String> environment = new java.util.LinkedHashMap<>();
    String site = tree.sitePackages().toString();
    String pythonPath = hostEnvironment.get("PYTHONPATH");
    environment.put(
        "PYTHONPATH", pythonPath == null || pythonPath.isEmpty() ? site : site + ":" + pythonPath);
    environment.put("PYTHONPYCACHEPREFIX", pycache.toString());
    java.nio.file.Path bin = tree.root().resolve("bin");
    if (java.nio.file.Files.isDirectory(bin)) {
      environment.put("PATH", bin + ":" + hostEnvironment.getOrDefault("PATH", ""));
    }
    return environment;
  }
}
