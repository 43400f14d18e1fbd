package org.odahu.pack.artifact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.testing.Examples;

/**
 * A directory artifact's file names must be UTF-8: Java reads another name with U+FFFD, and the
 * image would hold the file under that name, which the model does not ask for.
 */
class DirectoryArtifactNamesTest {
  @TempDir Path temp;
  private Path model;

  @BeforeEach
  void copyTheSimpleModel() throws IOException {
    Path artifact = temp.resolve("artifact");
    Examples.copyOfArtifact("simple", artifact);
    model = artifact.resolve("odahuflow_model");
  }

  /** {@code model}'s child named by raw bytes: a URI's escapes are the bytes of a Unix path. */
  private Path raw(String escapedName) {
    return Path.of(URI.create(model.toUri() + escapedName));
  }

  private UnsafeArtifactFileException refused() {
    return assertThrows(
        UnsafeArtifactFileException.class, () -> ModelArtifact.open(model.getParent()));
  }

  @Test
  void aFileNameInLatin1IsRefusedWithItsBytesEscaped() throws IOException {
    Files.writeString(raw("caf%E9.txt"), "hi");
    UnsafeArtifactFileException e = refused();
    assertEquals("odahuflow_model/caf\\xe9.txt", e.file());
    assertEquals(
        "Refusing the model artifact's file 'odahuflow_model/caf\\xe9.txt': its name is not UTF-8,"
            + " and an image's file names are: it would be copied under another name (with U+FFFD),"
            + " which the model would not find; rename it",
        e.getMessage());
  }

  @Test
  void aDirectoryNameThatIsNotUtf8IsRefused() throws IOException {
    Files.createDirectories(raw("data-%FF/deeper"));
    assertEquals("odahuflow_model/data-\\xff", refused().file());
  }

  @Test
  void aUtf8NameThatReallyHoldsTheReplacementCharacterIsKept() throws IOException {
    Files.writeString(model.resolve("caf\uFFFD.txt"), "hi");
    Files.writeString(model.resolve("café.txt"), "hi");
    ModelArtifact.open(model.getParent()).close();
  }

  @Test
  void aNameThatIsNotUtf8IsRefusedEvenBesideTheNameJavaReadsItAs() throws IOException {
    Files.writeString(model.resolve("caf\uFFFD.txt"), "hi");
    Files.writeString(raw("caf%E9.txt"), "hi");
    assertEquals("odahuflow_model/caf\\xe9.txt", refused().file());
  }
}
