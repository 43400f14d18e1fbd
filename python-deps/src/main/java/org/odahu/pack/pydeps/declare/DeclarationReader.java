package org.odahu.pack.pydeps.declare;

import java.nio.file.Path;
import java.util.Map;

/**
 * Reads a model's dependency declarations from its artifact. Files are read only from inside the
 * artifact; {@code ${VAR}} in requirements lines is expanded from {@code environment} (pip's
 * convention for tokens), which the caller reads at its edge.
 */
public final class DeclarationReader {
  private final ArtifactFiles files;
  private final Map<String, String> environment;

  /**
   * @param artifactRoot the artifact's root directory
   * @param environment variables for {@code ${VAR}} in requirements lines
   */
  public DeclarationReader(Path artifactRoot, Map<String, String> environment) {
    this.files = new ArtifactFiles(artifactRoot);
    this.environment = Map.copyOf(environment);
  }

  /** Everything the files declare, merged; a file included twice is read once. */
  public DeclaredDependencies read(DeclarationFiles declarationFiles) {
    RequirementsFileReader requirements = new RequirementsFileReader(files, environment);
    DeclaredDependencies result = DeclaredDependencies.NONE;
    if (declarationFiles.condaYaml().isPresent()) {
      result =
          result.merge(
              new CondaEnvironmentReader(files, requirements)
                  .read(declarationFiles.condaYaml().get()));
    }
    if (declarationFiles.pythonEnv().isPresent()) {
      result =
          result.merge(
              new PythonEnvReader(files, requirements).read(declarationFiles.pythonEnv().get()));
    }
    if (declarationFiles.requirements().isPresent()) {
      String path = declarationFiles.requirements().get();
      result = result.merge(requirements.readFile(path, false, path));
    }
    return result;
  }

  /** A conda environment file. */
  public DeclaredDependencies readCondaYaml(String path) {
    return read(
        new DeclarationFiles(
            java.util.Optional.of(path), java.util.Optional.empty(), java.util.Optional.empty()));
  }

  /** A pip requirements file. */
  public DeclaredDependencies readRequirements(String path) {
    return read(
        new DeclarationFiles(
            java.util.Optional.empty(), java.util.Optional.of(path), java.util.Optional.empty()));
  }

  /** MLflow's python_env.yaml. */
  public DeclaredDependencies readPythonEnv(String path) {
    return read(
        new DeclarationFiles(
            java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.of(path)));
  }
}
