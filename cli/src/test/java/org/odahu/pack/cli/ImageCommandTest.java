package org.odahu.pack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.packager.image.ImageTarball;

/** {@code image unpack|run} on hostile images: nothing written or left outside what they own. */
class ImageCommandTest {
  @TempDir Path temp;

  /** A layer entry. */
  private interface Entries {
    void write(TarArchiveOutputStream tar) throws IOException;
  }

  private Path image(Entries entries) throws IOException {
    ByteArrayOutputStream layer = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(layer)) {
      entries.write(tar);
    }
    Path tarball = temp.resolve("image.tar");
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(tarball))) {
      file(tar, "manifest.json", "[{\"Config\": \"config.json\", \"Layers\": [\"layer.tar\"]}]");
      file(tar, "config.json", "{\"config\": {\"Entrypoint\": [\"/bin/true\"]}}");
      file(tar, "layer.tar", layer.toByteArray());
    }
    return tarball;
  }

  private static void file(TarArchiveOutputStream tar, String name, String text)
      throws IOException {
    file(tar, name, text.getBytes(StandardCharsets.UTF_8));
  }

  private static void file(TarArchiveOutputStream tar, String name, byte[] bytes)
      throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(bytes.length);
    tar.putArchiveEntry(entry);
    tar.write(bytes);
    tar.closeArchiveEntry();
  }

  private static void link(TarArchiveOutputStream tar, String name, String target, byte type)
      throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name, type, true);
    entry.setLinkName(target);
    tar.putArchiveEntry(entry);
    tar.closeArchiveEntry();
  }

  @Test
  void theMarkerIsNeverWrittenThroughALinkOfTheImage() throws IOException {
    Path victim = Files.writeString(temp.resolve("victim.txt"), "mine\n");
    Path tarball =
        image(tar -> link(tar, ".odahu-pack-image", victim.toString(), TarConstants.LF_SYMLINK));
    Path rootfs = temp.resolve("rootfs");
    ImageCommand.unpack(ImageTarball.read(tarball), rootfs);
    assertEquals("mine\n", Files.readString(victim));
    assertTrue(Files.isRegularFile(rootfs.resolve(".odahu-pack-image"), LinkOption.NOFOLLOW_LINKS));
    ImageCommand.unpack(ImageTarball.read(tarball), rootfs); // the same image: reused
  }

  @Test
  void aRunWhoseUnpackingFailsLeavesNoTemporaryRootfs() throws IOException {
    Path tarball =
        image(
            tar -> {
              file(tar, "big.bin", new byte[1 << 20]);
              link(tar, "b", "missing", TarConstants.LF_LINK);
            });
    Path tmp = Files.createDirectories(temp.resolve("tmp"));
    Path jvmTmp = Path.of(System.getProperty("java.io.tmpdir"));
    List<Path> before = rootfsDirectories(jvmTmp);
    String saved = System.getProperty("java.io.tmpdir");
    System.setProperty("java.io.tmpdir", tmp.toString());
    OdahuPackIT.Run run;
    try {
      run = OdahuPackIT.odahuPack("image", "run", tarball.toString());
    } finally {
      System.setProperty("java.io.tmpdir", saved);
    }
    assertNotEquals(0, run.status(), run.out());
    assertTrue(run.err().contains("which is not a regular file"), run.err());
    assertEquals(List.of(), rootfsDirectories(tmp), "left in $TMPDIR");
    assertEquals(before, rootfsDirectories(jvmTmp), "left in the JVM's first temporary directory");
  }

  private static List<Path> rootfsDirectories(Path directory) throws IOException {
    try (Stream<Path> all = Files.list(directory)) {
      return all.filter(p -> p.getFileName().toString().startsWith("odahu-rootfs-"))
          .sorted()
          .toList();
    }
  }
}
