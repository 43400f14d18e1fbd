package org.odahu.pack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.testing.SmallTmpfs;
import org.odahu.pack.pydeps.testing.TarImages;

/**
 * {@code image unpack|run} with an image larger than the file system it goes to: the error names
 * that file system, and a partial unpack does not keep the disk full unnoticed (a real 1 MiB tmpfs;
 * needs root to mount, else skipped).
 */
class ImageCommandFullDiskIT {
  @TempDir Path temp;

  private Path image() throws IOException {
    return TarImages.dockerSave(
        temp.resolve("image.tar"),
        List.of(
            new TarImages.Layer()
                .file("a.bin", new byte[512 << 10], 0644)
                .file("b.bin", new byte[4 << 20], 0644)),
        Map.of(),
        "amd64");
  }

  private static List<Path> list(Path directory) throws IOException {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.sorted().toList();
    }
  }

  @Test
  void anUnpackThatDoesNotFitDeletesTheDirectoryItCreated() throws Exception {
    Path tarball = image();
    try (SmallTmpfs disk = SmallTmpfs.mount(temp.resolve("disk"), "1m")) {
      Path rootfs = disk.path().resolve("rootfs");
      OdahuPackIT.Run run =
          OdahuPackIT.odahuPack("image", "unpack", tarball.toString(), rootfs.toString());
      assertEquals(1, run.status(), run.err());
      assertEquals(
          "[odahu-pack] Deleted the partial unpack "
              + rootfs
              + ", which this command had created\n"
              + "Error: Cannot unpack "
              + tarball
              + ": No space left on the file system of "
              + rootfs
              + "\n",
          run.err());
      assertEquals(List.of(), list(disk.path()));
    }
  }

  @Test
  void anUnpackThatDoesNotFitIntoADirectoryThatWasThereSaysWhatIsLeft() throws Exception {
    Path tarball = image();
    try (SmallTmpfs disk = SmallTmpfs.mount(temp.resolve("disk"), "1m")) {
      Path rootfs = Files.createDirectories(disk.path().resolve("rootfs"));
      OdahuPackIT.Run run =
          OdahuPackIT.odahuPack("image", "unpack", tarball.toString(), rootfs.toString());
      assertEquals(1, run.status(), run.err());
      assertTrue(
          run.err()
              .startsWith(
                  "[odahu-pack] The partial unpack is left in "
                      + rootfs
                      + ": once there is space, run the command again (it starts over), or empty "
                      + rootfs
                      + "\n"),
          run.err());
      assertTrue(Files.exists(rootfs.resolve("a.bin")), "left as it was");
    }
  }

  @Test
  void aRunWhoseImageDoesNotFitNamesTheTemporaryDirectory() throws Exception {
    Path tarball = image();
    String saved = System.getProperty("java.io.tmpdir");
    try (SmallTmpfs tmp = SmallTmpfs.mount(temp.resolve("tmp"), "1m")) {
      System.setProperty("java.io.tmpdir", tmp.path().toString());
      OdahuPackIT.Run run;
      try {
        run = OdahuPackIT.odahuPack("image", "run", tarball.toString(), "/bin/true");
      } finally {
        System.setProperty("java.io.tmpdir", saved);
      }
      assertEquals(1, run.status(), run.err());
      assertTrue(
          run.err()
              .contains(
                  "Error: Cannot unpack "
                      + tarball
                      + ": No space left on the file system of "
                      + tmp.path()
                      + " (the temporary directory; TMPDIR names another)\n"),
          run.err());
      assertFalse(run.err().contains("Deleted"), run.err());
      assertEquals(List.of(), list(tmp.path()), "the temporary rootfs is removed");
    }
  }
}
