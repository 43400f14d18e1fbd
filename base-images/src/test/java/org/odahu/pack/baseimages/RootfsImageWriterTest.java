package org.odahu.pack.baseimages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tarball that cannot be written leaves none of its temporary files, each as large as it. */
class RootfsImageWriterTest {
  @TempDir Path temp;

  @Test
  void aFailedWriteLeavesNoTemporaryFiles() throws IOException {
    Path rootfs = Files.createDirectories(temp.resolve("rootfs/etc"));
    Files.writeString(rootfs.resolve("os-release"), "ID=test\n");
    Path images = Files.createDirectories(temp.resolve("images"));
    // Written in full, then refused its name: a directory with something in it holds the name.
    Path tarball = Files.createDirectories(images.resolve("base.tar/taken")).getParent();
    assertThrows(
        IOException.class,
        () ->
            RootfsImageWriter.write(
                temp.resolve("rootfs"), tarball, "test/base:1", List.of("PATH=/bin"), Map.of()));
    try (Stream<Path> left = Files.list(images)) {
      assertEquals(List.of(tarball), left.toList());
    }
  }
}
