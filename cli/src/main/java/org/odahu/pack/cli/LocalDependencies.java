package org.odahu.pack.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import org.odahu.pack.artifact.ModelArtifact;
import org.odahu.pack.packager.CacheDirectory;
import org.odahu.pack.pydeps.LocalEnvironment;
import org.odahu.pack.pydeps.PythonDependencies;
import org.odahu.pack.pydeps.UnsatisfiedDependenciesException;
import org.odahu.pack.pydeps.declare.DeclarationFiles;
import org.odahu.pack.pydeps.declare.DeclaredDependencies;
import org.odahu.pack.pydeps.index.PipConfiguration;
import org.odahu.pack.pydeps.plan.PlanOptions;
import org.odahu.pack.server.WorkerEnvironment;

/**
 * {@code --install-deps}: the model's declared Python dependencies, planned for the interpreter
 * that runs the workers (what its own site directories hold counts as provided) and installed into
 * a tree in odahu-pack's cache, reused while the dependencies stay the same; the workers get it on
 * {@code PYTHONPATH}, like MLflow's {@code --env-manager virtualenv}. Sources are pip's
 * configuration of this machine.
 */
final class LocalDependencies implements WorkerEnvironment {
  private final Map<String, String> environment;
  private final Path home;
  private final PrintStream log;

  /**
   * @param environment the process's environment (pip's variables, {@code ODAHU_PACK_CACHE})
   * @param home the user's home ({@code ~/.config/pip/pip.conf}, {@code ~/.netrc}, the cache)
   * @param log where the plan is printed
   */
  LocalDependencies(Map<String, String> environment, Path home, PrintStream log) {
    this.environment = Map.copyOf(environment);
    this.home = home;
    this.log = log;
  }

  /** This program's: its environment and home, the plan on stderr. */
  static LocalDependencies ofThisProcess() {
    return new LocalDependencies(
        System.getenv(), Path.of(System.getProperty("user.home")), System.err);
  }

  @Override
  public Map<String, String> forModel(ModelArtifact artifact, Path python) {
    PythonDependencies dependencies =
        new PythonDependencies(
            CacheDirectory.of(environment, home.toString()).resolve("python-deps"),
            PipConfiguration.read(environment, home, Path.of("/etc")),
            message -> {});
    var manifest = artifact.manifest();
    DeclaredDependencies declared =
        dependencies.read(
            artifact.root(),
            DeclarationFiles.discover(
                artifact.root(),
                manifest.binaries().condaPath(),
                manifest.model() == null ? null : manifest.model().workDir()),
            environment);
    if (declared.isEmpty()) {
      log.println("[odahu-pack] The model declares no Python dependencies: nothing to install");
      return Map.of();
    }
    try {
      LocalEnvironment local = dependencies.local(declared, python.toString(), PlanOptions.LOCAL);
      log.print(prefixed(local.plan().render()));
      log.println(
          "[odahu-pack] Python dependencies "
              + (local.tree().reused() ? "reused from " : "installed in ")
              + local.tree().root());
      return local.environment(environment);
    } catch (UnsatisfiedDependenciesException e) {
      log.print(prefixed(e.plan().render()));
      throw e;
    } finally {
      log.flush();
    }
  }

  private static String prefixed(String text) {
    return "[odahu-pack] " + text;
  }
}
