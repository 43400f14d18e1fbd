package org.odahu.pack.server;

import java.nio.file.Path;
import java.util.Map;
import org.odahu.pack.artifact.ModelArtifact;

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
   * The variables for workers of {@code artifact} run by {@code python}.
   *
   * @param artifact the opened model artifact
   * @param python the interpreter the workers run
   */
  Map<String, String> forModel(ModelArtifact artifact, Path python);
}
