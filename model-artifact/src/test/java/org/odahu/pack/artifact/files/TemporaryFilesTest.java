package org.odahu.pack.artifact.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code TMPDIR} moves the temporary files of odahu-pack's executables (an image's read-only root
 * needs it), but never over a {@code -Djava.io.tmpdir} someone gave the JVM.
 */
class TemporaryFilesTest {
  @Test
  void tmpdirReplacesTheJdksDefault() {
    assertEquals(
        Optional.of("/scratch"), TemporaryFiles.chosen(Map.of("TMPDIR", "/scratch"), "/tmp"));
    assertEquals(
        Optional.of("/scratch"), TemporaryFiles.chosen(Map.of("TMPDIR", "/scratch"), "/tmp/"));
  }

  @Test
  void anExplicitJavaIoTmpdirWins() {
    assertEquals(
        Optional.empty(), TemporaryFiles.chosen(Map.of("TMPDIR", "/scratch"), "/var/private"));
  }

  @Test
  void noOrBlankTmpdirKeepsTheDefault() {
    assertEquals(Optional.empty(), TemporaryFiles.chosen(Map.of(), "/tmp"));
    assertEquals(Optional.empty(), TemporaryFiles.chosen(Map.of("TMPDIR", " "), "/tmp"));
  }

  @TempDir Path temp;

  @Test
  void privateDirectoriesAreNewOwnerOnlyAndNamedByPrefixAndProcess() throws IOException {
    Path first = TemporaryFiles.newPrivateDirectory(temp, "odahu-gppi-");
    Path second = TemporaryFiles.newPrivateDirectory(temp, "odahu-gppi-");
    assertNotEquals(first, second);
    for (Path directory : List.of(first, second)) {
      assertEquals(temp, directory.getParent());
      assertTrue(
          directory
              .getFileName()
              .toString()
              .startsWith("odahu-gppi-" + ProcessHandle.current().pid() + "-"),
          directory::toString);
      assertEquals(
          "rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)));
    }
  }
}
