package org.odahu.pack.pydeps.declare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.odahu.pack.artifact.yaml.YamlAliases;
import org.odahu.pack.pydeps.pep440.SpecifierSet;
import org.odahu.pack.pydeps.pep440.Version;

/**
 * Reads MLflow's {@code python_env.yaml}: the {@code python} version (checked by minor version:
 * MLflow writes the training machine's exact one), and {@code dependencies} read like a
 * requirements file. {@code build_dependencies} (pip, setuptools, wheel) are not needed to install
 * wheels.
 */
final class PythonEnvReader {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final ArtifactFiles files;
  private final RequirementsFileReader requirements;

  PythonEnvReader(ArtifactFiles files, RequirementsFileReader requirements) {
    this.files = files;
    this.requirements = requirements;
  }

  DeclaredDependencies read(String path) {
    JsonNode root;
    try {
      String text = files.read(path, path);
      YamlAliases.refuse(
          YAML.createParser(text),
          alias -> new DeclarationException(path + ":" + alias.line() + ": " + alias.problem()));
      root = YAML.readTree(text);
    } catch (IOException e) {
      throw new DeclarationException(
          path + CondaEnvironmentReader.where(e) + " is not valid YAML", e);
    }
    if (root == null || !root.isObject()) {
      return DeclaredDependencies.NONE;
    }
    DeclaredDependencies result = DeclaredDependencies.NONE;
    JsonNode python = root.get("python");
    if (python != null && !python.asText().isBlank()) {
      result = result.merge(pin(python.asText().strip(), path));
    }
    if (root.hasNonNull("build_dependencies")) {
      result =
          result.merge(
              CondaEnvironmentReader.note(
                  path
                      + ": build_dependencies are not needed: wheels are installed without building"));
    }
    JsonNode dependencies = root.get("dependencies");
    if (dependencies != null && dependencies.isArray()) {
      List<String> lines = new ArrayList<>();
      dependencies.forEach(line -> lines.add(line.asText()));
      result = result.merge(requirements.readLines(lines, path, 1, false));
    }
    return result;
  }

  private static DeclaredDependencies pin(String written, String path) {
    Version version =
        Version.tryParse(written)
            .orElseThrow(
                () ->
                    new DeclarationException(path + ": python '" + written + "' is not a version"));
    String minor =
        version.release().get(0)
            + "."
            + (version.release().size() > 1 ? version.release().get(1) : 0);
    PythonPin pin =
        new PythonPin("python " + written, SpecifierSet.parse("==" + minor + ".*"), path);
    return new DeclaredDependencies(
        List.of(), List.of(), List.of(pin), List.of(), List.of(), SourceDeclarations.NONE);
  }
}
