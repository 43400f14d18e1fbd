package org.odahu.pack.artifact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A manifest is bounded before it is parsed: an oversized file is refused from its size alone, and
 * what YAML could make of a small one (aliases, nesting) is bounded too.
 */
class ManifestLimitsTest {
  @TempDir Path temp;

  @Test
  void anOversizedManifestIsRefusedUnreadWhateverItHolds() throws IOException {
    Path manifest = temp.resolve(ModelManifest.FILE_NAME);
    // Not UTF-8 and not YAML: had it been read or parsed, the error would say so instead.
    try (OutputStream out = Files.newOutputStream(manifest)) {
      byte[] garbage = new byte[64 * 1024];
      java.util.Arrays.fill(garbage, (byte) 0xff);
      for (int i = 0; i < 4 * 1024 * 1024 / garbage.length; i++) {
        out.write(garbage);
      }
    }
    ManifestException e = assertThrows(ManifestException.class, () -> ModelManifest.read(manifest));
    assertEquals(
        "Model manifest "
            + manifest
            + " is 4194304 bytes, more than the 262144 a manifest may have: it was not read",
        e.getMessage());
  }

  @Test
  void aManifestJustUnderTheBoundIsRead() throws IOException {
    String valid =
        "binaries: {type: python, dependencies: conda}\n"
            + "model: {name: m, version: '1', workDir: w, entrypoint: entrypoint}\n";
    String padding = "#" + "x".repeat(99) + "\n";
    StringBuilder text = new StringBuilder(valid);
    while (text.length() + padding.length() <= ModelManifest.MAX_BYTES) {
      text.append(padding);
    }
    Path manifest = Files.writeString(temp.resolve("m.yaml"), text, StandardCharsets.UTF_8);
    assertEquals("m", ModelManifest.read(manifest).model().name());
  }

  @Test
  void anArtifactWithAnOversizedManifestIsRefusedWhenOpened() throws IOException {
    Path artifact = Files.createDirectories(temp.resolve("artifact"));
    Files.writeString(
        artifact.resolve(ModelManifest.FILE_NAME), "x: " + "y".repeat(ModelManifest.MAX_BYTES));
    ManifestException e = assertThrows(ManifestException.class, () -> ModelArtifact.open(artifact));
    assertTrue(e.getMessage().endsWith("a manifest may have: it was not read"), e.getMessage());
  }

  /** Jackson reads an alias as its anchor's name and never expands it; this keeps it so. */
  @Test
  void yamlAliasesCannotMultiplyASmallManifest() {
    StringBuilder laughs = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 30; i++) {
      laughs.append("a").append(i).append(": &a").append(i).append(" [");
      laughs.append(("*a" + (i - 1) + ", ").repeat(9)).append("*a").append(i - 1).append("]\n");
    }
    laughs.append("binaries: *a29\n");
    long start = System.nanoTime();
    ManifestException e =
        assertThrows(ManifestException.class, () -> ModelManifest.parse(laughs.toString()));
    assertTrue(
        e.getMessage().startsWith("Odahu manifest file is in incorrect format: "), e.getMessage());
    assertTrue(
        Duration.ofNanos(System.nanoTime() - start).toSeconds() < 10,
        "refused without expanding 10^30 nodes");
  }

  @Test
  void deeplyNestedYamlIsRefused() {
    String nested = "binaries: " + "[".repeat(500) + "]".repeat(500) + "\n";
    ManifestException e = assertThrows(ManifestException.class, () -> ModelManifest.parse(nested));
    assertTrue(
        e.getMessage().startsWith("Odahu manifest file is in incorrect format: "), e.getMessage());
  }
}
