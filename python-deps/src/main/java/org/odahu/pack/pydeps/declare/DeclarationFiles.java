package org.odahu.pack.pydeps.declare;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Which files of an artifact declare its Python dependencies (paths relative to the artifact).
 *
 * @param condaYaml the conda environment file ({@code binaries.conda_path})
 * @param requirements a pip requirements file
 * @param pythonEnv MLflow's {@code python_env.yaml}
 */
public record DeclarationFiles(
    Optional<String> condaYaml, Optional<String> requirements, Optional<String> pythonEnv) {

  /** No files. */
  public static final DeclarationFiles NONE =
      new DeclarationFiles(Optional.empty(), Optional.empty(), Optional.empty());

  /**
   * The conda file at {@code condaPath} (may be null or blank; one it names must exist) and, next
   * to it or else in the model's work directory, MLflow's {@code requirements.txt} and {@code
   * python_env.yaml} when present.
   *
   * @param artifactRoot the artifact's root directory
   * @param condaPath the manifest's {@code conda_path}, or null
   * @param workDir the manifest's {@code model.workDir}, or null
   */
  public static DeclarationFiles discover(Path artifactRoot, String condaPath, String workDir) {
    Optional<String> conda = Optional.ofNullable(condaPath).filter(p -> !p.isBlank());
    if (conda.isPresent() && !Files.isRegularFile(artifactRoot.resolve(conda.get()))) {
      // ODAHU's packager ran 'conda env update --file=<artifact>/<conda_path>', which failed.
      throw new DeclarationException(
          "binaries.conda_path of the model manifest names '"
              + conda.get()
              + "', which is no file of the artifact "
              + artifactRoot
              + " (ODAHU's conda packaging failed on it too). Remedy: correct conda_path in"
              + " odahuflow.project.yaml, or remove it if the model declares no dependencies");
    }
    String directory =
        conda
            .map(p -> Path.of(p).getParent())
            .map(Path::toString)
            .orElse(workDir == null ? "" : workDir);
    return new DeclarationFiles(
        conda,
        nextTo(artifactRoot, directory, "requirements.txt"),
        nextTo(artifactRoot, directory, "python_env.yaml"));
  }

  private static Optional<String> nextTo(Path root, String directory, String name) {
    String path = directory.isEmpty() ? name : directory + "/" + name;
    return Files.isRegularFile(root.resolve(path)) ? Optional.of(path) : Optional.empty();
  }
}
