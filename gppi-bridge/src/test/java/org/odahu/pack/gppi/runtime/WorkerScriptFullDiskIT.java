package org.odahu.pack.gppi.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.files.ExitCleanup;
import org.odahu.pack.artifact.testing.SmallTmpfs;
import org.odahu.pack.gppi.ModelStartupException;

/**
 * A temporary directory on a full file system: the worker script cannot be written, and the error
 * says which file system is full (a real tmpfs; needs root to mount, else skipped).
 */
class WorkerScriptFullDiskIT {
  @TempDir Path temp;

  @Test
  void aFullTemporaryDirectoryIsNamed() throws Exception {
    String saved = System.getProperty("java.io.tmpdir");
    try (SmallTmpfs tmpfs = SmallTmpfs.mount(temp.resolve("tmp"), "1m");
        ExitCleanup cleanup = ExitCleanup.manual()) {
      tmpfs.fill("filler");
      System.setProperty("java.io.tmpdir", tmpfs.path().toString());
      ModelStartupException failure =
          assertThrows(ModelStartupException.class, () -> WorkerScript.extract(cleanup));
      assertEquals(
          "Cannot write the Python worker script: No space left on the file system of "
              + tmpfs.path()
              + " (the temporary directory; TMPDIR names another)",
          failure.getMessage());
    } finally {
      System.setProperty("java.io.tmpdir", saved);
    }
  }
}
