package org.odahu.pack.artifact.files;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

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
}
