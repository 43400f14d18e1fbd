package org.odahu.pack.artifact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.files.ExitCleanup;
import org.odahu.pack.artifact.testing.SmallTmpfs;

/**
 * An artifact larger than the temporary directory's file system: the error names that file system,
 * not the archive it was reading (on a real 1 MiB tmpfs; needs root to mount, else skipped).
 */
class FullTemporaryDirectoryIT {
  @TempDir Path temp;

  @Test
  void anArtifactThatDoesNotFitNamesTheTemporaryDirectory() throws Exception {
    Path archive = temp.resolve("model.tar.gz");
    try (TestArchives.Tar tar = new TestArchives.Tar(archive, true)) {
      tar.model().zeros("odahuflow_model/weights.bin", 4L << 20);
    }
    String saved = System.getProperty("java.io.tmpdir");
    try (SmallTmpfs tmpfs = SmallTmpfs.mount(temp.resolve("tmp"), "1m");
        ExitCleanup cleanup = ExitCleanup.manual()) {
      System.setProperty("java.io.tmpdir", tmpfs.path().toString());
      ArtifactException failure =
          assertThrows(ArtifactException.class, () -> ModelArtifact.open(archive, cleanup));
      assertEquals(
          "Cannot extract model artifact "
              + archive
              + ": No space left on the file system of "
              + tmpfs.path()
              + " (the temporary directory; TMPDIR names another)",
          failure.getMessage());
    } finally {
      System.setProperty("java.io.tmpdir", saved);
    }
  }
}
