package org.odahu.pack.packager.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.files.ExitCleanup;
import org.odahu.pack.artifact.testing.SmallTmpfs;
import org.odahu.pack.packager.PackagingException;

/**
 * A result directory on a full file system: the previous result.json stays whole and nothing else
 * is left (a real tmpfs; needs root to mount, else skipped).
 */
class FullResultDirectoryIT {
  @TempDir Path temp;

  @Test
  void aResultThatCannotBeWrittenLeavesThePreviousOne() throws Exception {
    try (SmallTmpfs results = SmallTmpfs.mount(temp.resolve("results"), "1m");
        ExitCleanup cleanup = ExitCleanup.manual()) {
      Path file = Files.writeString(results.path().resolve("result.json"), "{\"image\":\"a:0\"}");
      Path filler = results.fill("filler");
      PackagingException failure =
          assertThrows(
              PackagingException.class, () -> ResultFile.stage(results.path(), "a:1", cleanup));
      assertEquals(
          "Cannot write "
              + file
              + ": No space left on the file system of "
              + results.path()
              + " (the result directory)",
          failure.getMessage());
      assertEquals("{\"image\":\"a:0\"}", Files.readString(file));
      try (Stream<Path> left = Files.list(results.path())) {
        assertEquals(List.of(filler, file), left.sorted().toList());
      }
    }
  }
}
