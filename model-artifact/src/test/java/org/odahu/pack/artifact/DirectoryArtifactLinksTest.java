package org.odahu.pack.artifact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.testing.Examples;

/**
 * A directory artifact's links follow an archive's rules: whatever opens the artifact (pack run,
 * serve, predict, info, gppi test) refuses one that leaves the artifact or resolves nowhere, so no
 * host file reaches an image or the model; links that stay inside keep working.
 */
class DirectoryArtifactLinksTest {
  @TempDir Path temp;
  private Path artifact;
  private Path outside;

  @BeforeEach
  void copyTheSimpleModel() throws IOException {
    artifact = temp.resolve("artifact");
    Examples.copyOfArtifact("simple", artifact);
    outside = Files.createDirectories(temp.resolve("host"));
    Files.writeString(outside.resolve("secret.txt"), "host secret");
  }

  private UnsafeArtifactFileException refused(String link, Path target) throws IOException {
    Files.createSymbolicLink(artifact.resolve(link), target);
    UnsafeArtifactFileException e =
        assertThrows(UnsafeArtifactFileException.class, () -> ModelArtifact.open(artifact));
    assertEquals(link, e.file());
    return e;
  }

  @Test
  void aLinkToAHostFileIsRefused() throws IOException {
    UnsafeArtifactFileException e =
        refused("odahuflow_model/secret.txt", outside.resolve("secret.txt"));
    assertEquals(
        "Refusing the model artifact's file 'odahuflow_model/secret.txt': link to '"
            + outside.resolve("secret.txt")
            + "' points outside the artifact",
        e.getMessage());
  }

  @Test
  void aRelativeLinkClimbingOutIsRefused() throws IOException {
    refused("odahuflow_model/secret.txt", Path.of("../../host/secret.txt"));
  }

  @Test
  void aLinkToAHostDirectoryIsRefused() throws IOException {
    refused("odahuflow_model/data", outside);
  }

  @Test
  void aChainOfLinksThatEndsOutsideIsRefused() throws IOException {
    Files.createSymbolicLink(artifact.resolve("odahuflow_model/hop"), Path.of("../hop2"));
    Files.createSymbolicLink(artifact.resolve("hop2"), outside.resolve("secret.txt"));
    UnsafeArtifactFileException e =
        assertThrows(UnsafeArtifactFileException.class, () -> ModelArtifact.open(artifact));
    // Either link of the chain may be met first: each leads outside.
    assertTrue(Set.of("hop2", "odahuflow_model/hop").contains(e.file()), e.file());
  }

  @Test
  void aDanglingLinkIsRefused() throws IOException {
    UnsafeArtifactFileException e = refused("odahuflow_model/gone.pkl", Path.of("nothing.pkl"));
    assertTrue(e.getMessage().contains("does not resolve inside the artifact"), e.getMessage());
  }

  @Test
  void aFifoIsRefusedRatherThanBlockingItsReader() throws Exception {
    Process mkfifo =
        new ProcessBuilder("mkfifo", artifact.resolve("odahuflow_model/pipe").toString()).start();
    assertEquals(0, mkfifo.waitFor());
    UnsafeArtifactFileException e =
        assertThrows(UnsafeArtifactFileException.class, () -> ModelArtifact.open(artifact));
    assertEquals("odahuflow_model/pipe", e.file());
    assertTrue(e.getMessage().contains("FIFOs"), e.getMessage());
  }

  @Test
  void theBatchClisModelDirectoryIsCheckedToo() throws IOException {
    Files.createSymbolicLink(
        artifact.resolve("odahuflow_model/secret.txt"), outside.resolve("secret.txt"));
    Files.delete(artifact.resolve("odahuflow.project.yaml"));
    assertThrows(
        UnsafeArtifactFileException.class,
        () -> ModelArtifact.ofWorkDir(artifact.resolve("odahuflow_model"), null, null, null));
  }

  @Test
  void linksThatStayInsideKeepWorking() throws IOException {
    Path model = artifact.resolve("odahuflow_model");
    Files.createSymbolicLink(model.resolve("alias.py"), Path.of("entrypoint.py"));
    Files.createDirectories(artifact.resolve("shared"));
    Files.writeString(artifact.resolve("shared/table.csv"), "a,b\n");
    Files.createSymbolicLink(model.resolve("shared"), Path.of("../shared"));
    Files.createSymbolicLink(model.resolve("up"), Path.of(".."));
    Files.move(artifact.resolve("odahuflow.project.yaml"), artifact.resolve("manifest-v2.yaml"));
    Files.createSymbolicLink(
        artifact.resolve("odahuflow.project.yaml"), Path.of("manifest-v2.yaml"));
    try (ModelArtifact opened = ModelArtifact.open(artifact)) {
      assertEquals("simple", opened.manifest().model().name());
      assertEquals("a,b\n", Files.readString(opened.workDir().resolve("shared/table.csv")));
    }
  }
}
