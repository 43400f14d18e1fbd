package org.odahu.pack.artifact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModelManifestTest {
  private static final String MLFLOW_MANIFEST =
      """
      binaries:
        conda_path: odahuflow_model/conda.yaml
        dependencies: conda
        type: python
      model:
        entrypoint: entrypoint
        name: simple-model
        version: '1.2'
        workDir: odahuflow_model
      odahuflowVersion: '1.0'
      output:
        run_id: fbf90f87da2d42c18afd4fc68aaac363
      toolchain:
        name: mlflow
        version: 1.0.0
      """;

  @Test
  void readsTheManifestTheMlflowToolchainWrites() {
    ModelManifest manifest = ModelManifest.parse(MLFLOW_MANIFEST);
    assertEquals("python", manifest.binaries().type());
    assertEquals("odahuflow_model/conda.yaml", manifest.binaries().condaPath());
    assertEquals(
        new ModelManifest.ModelSection("simple-model", "1.2", "odahuflow_model", "entrypoint"),
        manifest.model());
    assertEquals("1.0", manifest.odahuflowVersion());
    assertEquals("mlflow", manifest.toolchain().name());
    assertEquals(List.of(), manifest.packagingProblems());
  }

  @Test
  void versionsStayStringsWhenYamlReadsNumbers() {
    ModelManifest manifest =
        ModelManifest.parse(
            """
            binaries: {type: python, dependencies: conda}
            model: {name: 42, version: 1.10, workDir: m, entrypoint: e}
            odahuflowVersion: 1.0
            """);
    assertEquals("42", manifest.model().name());
    assertEquals("1.10", manifest.model().version());
    assertEquals("1.0", manifest.odahuflowVersion());
  }

  @Test
  void readsJson() {
    ModelManifest manifest =
        ModelManifest.parse(
            "{\"binaries\": {\"type\": \"python\", \"dependencies\": \"conda\"},"
                + " \"model\": {\"name\": \"m\", \"version\": 1.0, \"workDir\": \"w\","
                + " \"entrypoint\": \"e\"}}");
    assertEquals("1.0", manifest.model().version());
    assertNull(manifest.odahuflowVersion());
  }

  @Test
  void readsTabIndentedJsonAsOdahuDoes() {
    // json.dumps(..., indent='\t') output: YAML forbids tabs as indentation, JSON allows them.
    ModelManifest manifest =
        ModelManifest.parse(
            "{\n\t\"binaries\": {\n\t\t\"type\": \"python\",\n\t\t\"dependencies\": \"conda\",\n"
                + "\t\t\"conda_path\": \"odahuflow_model/conda.yaml\"\n\t},\n"
                + "\t\"model\": {\n\t\t\"name\": \"m\",\n\t\t\"version\": \"1.0\",\n"
                + "\t\t\"workDir\": \"odahuflow_model\",\n\t\t\"entrypoint\": \"entrypoint\"\n\t},\n"
                + "\t\"odahuflowVersion\": \"1.0\"\n}\n");
    assertEquals(
        new ModelManifest.ModelSection("m", "1.0", "odahuflow_model", "entrypoint"),
        manifest.model());
    assertEquals(List.of(), manifest.packagingProblems());
  }

  @Test
  void yamlFlowMappingIsNotMistakenForJson() {
    ModelManifest manifest =
        ModelManifest.parse(
            "{binaries: {type: python, dependencies: conda}, model: {name: m, version: 1.10,"
                + " workDir: w, entrypoint: e}}");
    assertEquals("1.10", manifest.model().version());
  }

  @Test
  void odahuValidationMessages() {
    ModelManifest manifest = ModelManifest.parse("binaries: {type: java, dependencies: pip}\n");
    assertEquals(
        List.of(
            "Unsupported model binaries type: java",
            "Unsupported model dependencies type: pip",
            "Model section is not set",
            "odahuflowVersion is not set",
            "Conda path is not set"),
        manifest.packagingProblems());
    assertEquals(3, manifest.servingProblems().size());
  }

  /** A name or version the image's server would refuse (response headers) is not packed. */
  @Test
  void controlCharactersInTheNameOrVersionStopPackagingNotServingChecks() {
    ModelManifest manifest =
        ModelManifest.parse(
            "binaries: {type: python, dependencies: conda, conda_path: c.yaml}\n"
                + "odahuflowVersion: '1.0'\n"
                + "model: {name: \"simple\\t\", version: \"1\\n\", workDir: w, entrypoint: e}\n");
    assertEquals(
        List.of(
            "The model name \"simple\\u0009\" contains the control character U+0009: the image's"
                + " server would refuse to start (names and versions go into response headers)",
            "The model version \"1\\u000A\" contains the control character U+000A: the image's"
                + " server would refuse to start (names and versions go into response headers)"),
        manifest.packagingProblems());
    assertEquals(List.of(), manifest.servingProblems());
  }

  @Test
  void refusesWorkDirAndCondaPathOutsideTheArtifact() {
    ModelManifest manifest =
        ModelManifest.parse(
            """
            binaries: {type: python, dependencies: conda, conda_path: ../conda.yaml}
            model: {name: m, version: '1', workDir: ../../etc, entrypoint: 'os; rm'}
            odahuflowVersion: '1.0'
            """);
    assertEquals(
        List.of(
            "Model entrypoint is not a Python module name: os; rm",
            "Model workDir must be a path inside the artifact: ../../etc",
            "Conda path must be a path inside the artifact: ../conda.yaml"),
        manifest.packagingProblems());
    // A NUL is a problem like the others, not an InvalidPathException.
    ModelManifest nul =
        ModelManifest.parse(
            """
            binaries: {type: python, dependencies: conda, conda_path: "x\\0y"}
            model: {name: m, version: '1', workDir: "a\\0b", entrypoint: entrypoint}
            odahuflowVersion: '1.0'
            """);
    assertEquals(
        List.of(
            "Model workDir must be a path inside the artifact: a\0b",
            "Conda path must be a path inside the artifact: x\0y"),
        nul.packagingProblems());
  }

  @Test
  void aFieldOfTheWrongShapeIsNamedInTheManifestsTermsNotJavas() {
    String binaries = "binaries: {type: python, dependencies: conda}\n";
    String model = "name: s, version: '1', workDir: w";
    String[][] cases = {
      {binaries + "model: {" + model + "}\n", "model.entrypoint is missing"},
      {"just a string\n", "the manifest must be a mapping, not a string"},
      {
        "binaries: [1, 2]\nmodel: {" + model + ", entrypoint: e}\n",
        "binaries must be a mapping, not a list"
      },
      {
        binaries + "model: {name: {a: 1}, version: '1', workDir: w, entrypoint: e}\n",
        "model.name must be a string, not a mapping"
      },
    };
    for (String[] manifest : cases) {
      assertEquals(
          "Odahu manifest file is in incorrect format: " + manifest[1],
          assertThrows(ManifestException.class, () -> ModelManifest.parse(manifest[0]))
              .getMessage());
    }
  }

  @Test
  void incorrectFormat() {
    assertTrue(
        assertThrows(ManifestException.class, () -> ModelManifest.parse("model: {name: m}\n"))
            .getMessage()
            .startsWith("Odahu manifest file is in incorrect format: "));
    assertTrue(
        assertThrows(ManifestException.class, () -> ModelManifest.parse("binaries: [unclosed"))
            .getMessage()
            .startsWith("Odahu manifest file is in incorrect format: "));
    assertTrue(
        assertThrows(ManifestException.class, () -> ModelManifest.parse(""))
            .getMessage()
            .startsWith("Odahu manifest file is in incorrect format: "));
    assertTrue(
        assertThrows(
                ManifestException.class, () -> ModelManifest.parse("binaries: {type: python}\n"))
            .getMessage()
            .contains("dependencies"));
  }

  @Test
  void aSyntaxErrorIsReportedAsOneAndASecondDocumentIsRefused() {
    String valid =
        "binaries: {type: python, dependencies: conda, conda_path: c.yaml}\n"
            + "model: {name: m, version: '1', workDir: w, entrypoint: e}\n";
    String unclosed =
        assertThrows(
                ManifestException.class,
                () -> ModelManifest.parse(valid.replace("model: {", "model: [")))
            .getMessage();
    assertTrue(unclosed.startsWith("Odahu manifest file is in incorrect format: "), unclosed);
    assertFalse(unclosed.contains("must be a mapping"), unclosed);
    assertEquals(
        "Odahu manifest file is in incorrect format: it holds more than one YAML document (the"
            + " second starts at line 4), which ODAHU's yaml.safe_load refuses too",
        assertThrows(ManifestException.class, () -> ModelManifest.parse(valid + "---\nx: 1\n"))
            .getMessage());
    assertEquals("m", ModelManifest.parse("---\n" + valid + "...\n").model().name());
    // yaml.safe_load would give the anchored value; Jackson gives the anchor's name: refused.
    assertEquals(
        "Odahu manifest file is in incorrect format: line 2: YAML aliases (*n) are not read;"
            + " write the value itself",
        assertThrows(
                ManifestException.class,
                () ->
                    ModelManifest.parse(
                        valid.replace("name: m, version: '1'", "name: &n m, version: *n")))
            .getMessage());
    String json =
        "{\"binaries\": {\"type\": \"python\", \"dependencies\": \"conda\","
            + " \"conda_path\": \"c.yaml\"}, \"model\": {\"name\": \"m\", \"version\": \"1\","
            + " \"workDir\": \"w\", \"entrypoint\": \"e\"}}\n";
    assertEquals("m", ModelManifest.parse(json).model().name());
    for (String twoDocuments : List.of(json + "---\nx: 1\n", "---\n---\n" + valid)) {
      assertTrue(
          assertThrows(ManifestException.class, () -> ModelManifest.parse(twoDocuments))
              .getMessage()
              .contains("it holds more than one YAML document"),
          twoDocuments);
    }
    assertTrue(
        assertThrows(ManifestException.class, () -> ModelManifest.parse(json + json))
            .getMessage()
            .startsWith("Odahu manifest file is in incorrect format: "));
  }
}
