package org.odahu.pack.artifact.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZipDirectoryTest {
  @TempDir Path temp;

  private Path zip(int entries, Zip64Mode mode, String comment) throws IOException {
    Path file = temp.resolve("a-" + mode + ".zip");
    try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(file)) {
      zip.setUseZip64(mode);
      zip.setComment(comment);
      for (int i = 0; i < entries; i++) {
        zip.putArchiveEntry(new ZipArchiveEntry("f" + i));
        zip.write('x');
        zip.closeArchiveEntry();
      }
    }
    return file;
  }

  @Test
  void recordsAreCountedFromWhereTheEndRecordsSayTheDirectoryStarts() throws IOException {
    assertEquals(7, ZipDirectory.records(zip(7, Zip64Mode.Never, "a comment"), 100));
    // With zip64 records the start comes from the zip64 end record, as commons-compress reads it.
    assertEquals(5, ZipDirectory.records(zip(5, Zip64Mode.Always, ""), 100));
  }

  @Test
  void countingStopsPastTheLimit() throws IOException {
    assertEquals(4, ZipDirectory.records(zip(9, Zip64Mode.Never, ""), 3));
  }

  @Test
  void notAZipIsLeftToTheReader() throws IOException {
    assertEquals(-1, ZipDirectory.records(Files.write(temp.resolve("x"), new byte[100]), 10));
  }
}
