package org.odahu.pack.artifact.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryProbeTest {
  @TempDir Path temp;

  @Test
  void aWritableDirectoryPassesAndKeepsNoProbe() throws IOException {
    assertNull(DirectoryProbe.refusal(temp));
    try (var left = Files.list(temp)) {
      assertEquals(List.of(), left.toList());
    }
  }

  @Test
  void directoriesThatTakeNoFilesAreRefusedWithTheReason() {
    // access(2) says writable to root for /sys/kernel; creating a file there is refused.
    String sys = DirectoryProbe.refusal(Path.of("/sys/kernel"));
    assertNotNull(sys);
    assertTrue(
        sys.equals("permission denied") || sys.equals("Read-only file system"), "reason: " + sys);
    assertNotNull(DirectoryProbe.refusal(temp.resolve("missing")));
  }
}
