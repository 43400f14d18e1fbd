package org.odahu.pack.server;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.odahu.pack.artifact.ModelArtifact;
import org.odahu.pack.gppi.BackendOptions;
import org.odahu.pack.gppi.InvalidOptionsException;

/**
 * Extra environment variables for a model's workers, decided once the artifact is open: e.g. the
 * {@code PYTHONPATH} of a cached environment holding the model's own dependencies ({@code
 * --install-deps}).
 */
@FunctionalInterface
public interface WorkerEnvironment {
  /** No extra variables. */
  WorkerEnvironment NONE = (artifact, python) -> Map.of();

  /**
   * Refuses {@code --install-deps} for {@code runtime} GraalPy: the dependencies are installed for
   * CPython, and GraalPy's in-process contexts run pure-Python models from the artifact alone.
   *
   * @throws InvalidOptionsException a command-line mistake
   */
  static void checkRuntime(String runtime) {
    if (BackendOptions.GRAALPY.equals(runtime)) {
      throw new InvalidOptionsException(
          List.of(
              new InvalidOptionsException.Problem(
                  "--install-deps",
                  "installs the dependencies for CPython (--python), and the graalpy runtime runs"
                      + " pure-Python models from what their artifact holds: use --runtime"
                      + " cpython")));
    }
  }

  /**
   * The variables for workers of {@code artifact} run by {@code python}.
   *
   * @param artifact the opened model artifact
   * @param python the interpreter the workers run
   */
  Map<String, String> forModel(ModelArtifact artifact, Path python);
}
