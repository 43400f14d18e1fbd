package org.odahu.pack.artifact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.odahu.pack.artifact.testing.Examples;

/** Reading a manifest's model location without YAML: the same answer as the parser, or none. */
class ModelLocationTest {
  @TempDir Path temp;

  /** The manifest's parts other than {@code model:}, which the tests vary. */
  private static final String REST =
      "binaries:\n  type: python\n  dependencies: conda\n  conda_path: model/conda.yaml\n"
          + "odahuflowVersion: '1.0'\n";

  private Path artifact(String fileName, String manifest) throws IOException {
    Path root = temp.resolve("artifact");
    Files.createDirectories(root.resolve("model/sub"));
    Files.writeString(root.resolve("model/sub/entry.py"), "def init():\n    return {}\n");
    Files.writeString(root.resolve("model/conda.yaml"), "dependencies: []\n");
    Files.writeString(root.resolve(fileName), manifest + REST);
    return root;
  }

  /** What the real manifest parser gives, as a location. */
  private static ModelLocation parsed(Path directory) {
    try (ModelArtifact opened = ModelArtifact.open(directory)) {
      return new ModelLocation(
          opened.root(), opened.workDir(), opened.manifest().model().entrypoint());
    }
  }

  @Test
  void theWineExampleReadsAsTheParserReadsIt() {
    Path wine = Examples.artifact("wine");
    assertEquals(Optional.of(parsed(wine)), ModelLocation.peek(wine));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "model:\n  name: m\n  version: '1'\n  workDir: model/sub/../sub\n  entrypoint: entry\n",
        "# comment\nmodel:\n  name: m\n  version: '1'\n  workDir: 'model/sub'\n  entrypoint: \"entry\"\n",
        "kind: x\nmodel:   \r\n    meta:\n      workDir: elsewhere\n    workDir: model/sub\n"
            + "    # comment\n\n    entrypoint: entry\n    name: m\n    version: '1'\nunused: 1\n",
      })
  void plainBlockStyleReadsAsTheParserReadsIt(String manifest) throws IOException {
    Path root = artifact(ModelManifest.FILE_NAME, manifest);
    assertEquals(Optional.of(parsed(root)), ModelLocation.peek(root));
    assertEquals(root.resolve("model/sub"), ModelLocation.peek(root).orElseThrow().workDir());
  }

  @Test
  void theLegacyManifestNameToo() throws IOException {
    Path root =
        artifact(
            ModelManifest.LEGACY_FILE_NAME,
            "model:\n  name: m\n  version: '1'\n  workDir: model/sub\n  entrypoint: entry\n");
    assertEquals(Optional.of(parsed(root)), ModelLocation.peek(root));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "model: {workDir: model/sub, entrypoint: entry}\n",
        "model:\n  workDir: model/sub # trailing comment\n  entrypoint: entry\n",
        "model:\n  workDir: &dir model/sub\n  entrypoint: entry\n",
        "model:\n  workDir: model/sub\n",
        "model:\n  entrypoint: entry\n",
        "other:\n  workDir: model/sub\n  entrypoint: entry\n",
        "model:\n  workDir: \"model\\u002fsub\"\n  entrypoint: entry\n",
      })
  void anyOtherStyleGivesNothing(String manifest) throws IOException {
    assertEquals(Optional.empty(), ModelLocation.peek(artifact(ModelManifest.FILE_NAME, manifest)));
  }

  @Test
  void unsafeOrMissingArtifactsGiveNothing() throws IOException {
    assertEquals(Optional.empty(), ModelLocation.peek(temp.resolve("missing")));
    Path root =
        artifact(ModelManifest.FILE_NAME, "model:\n  workDir: model/sub\n  entrypoint: e\n");
    assertTrue(ModelLocation.peek(root).isPresent());
    Files.createSymbolicLink(root.resolve("model/passwd"), Path.of("/etc/passwd"));
    assertEquals(Optional.empty(), ModelLocation.peek(root));
  }
}
