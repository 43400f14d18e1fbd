package org.odahu.pack.artifact.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A full file system is named with what it is; any other failure keeps its own words. */
class DiskSpaceTest {
  private final DiskSpace cache = new DiskSpace(Path.of("/cache/verify"), "the verification cache");

  @Test
  void aFullFileSystemIsNamedWhereverTheFailureWasWrapped() {
    IOException full = new IOException("No space left on device");
    assertEquals(
        "No space left on the file system of /cache/verify (the verification cache)",
        cache.reason(full));
    assertEquals(
        cache.full(), cache.reason(new IllegalStateException("x", new UncheckedIOException(full))));
    assertEquals(
        "No space left on the file system of /out",
        new DiskSpace(Path.of("/out"), null).reason(full));
  }

  @Test
  void otherFailuresKeepTheirMessage() {
    assertEquals("Permission denied", cache.reason(new IOException("Permission denied")));
    assertEquals("an input/output error", cache.reason(new IOException()));
    assertFalse(DiskSpace.exhausted(new IOException("Broken pipe")));
  }

  @Test
  void aToolsOutputCanReportIt() {
    assertTrue(
        DiskSpace.reportedIn(
            "Error: java.io.UncheckedIOException: java.io.IOException: No space left on device"));
    assertFalse(DiskSpace.reportedIn("Error: module not found: java.sql"));
    assertFalse(DiskSpace.reportedIn(null));
  }
}
