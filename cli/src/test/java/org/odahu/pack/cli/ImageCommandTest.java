package org.odahu.pack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.packager.PackagingException;
import org.odahu.pack.packager.image.ImageTarball;
import org.odahu.pack.pydeps.testing.TarImages;

/** {@code image unpack|run} on hostile images: nothing written or left outside what they own. */
class ImageCommandTest {
  @TempDir Path temp;

  private Path image(TarImages.Layer layer) throws IOException {
    return TarImages.dockerSave(temp.resolve("image.tar"), List.of(layer), Map.of(), "amd64");
  }

  @Test
  void theMarkerIsNeverWrittenThroughALinkOfTheImage() throws IOException {
    Path victim = Files.writeString(temp.resolve("victim.txt"), "mine\n");
    Path tarball = image(new TarImages.Layer().symlink(".odahu-pack-image", victim.toString()));
    Path rootfs = temp.resolve("rootfs");
    ImageCommand.unpack(ImageTarball.read(tarball), rootfs);
    assertEquals("mine\n", Files.readString(victim));
    assertTrue(Files.isRegularFile(rootfs.resolve(".odahu-pack-image"), LinkOption.NOFOLLOW_LINKS));
    ImageCommand.unpack(ImageTarball.read(tarball), rootfs); // the same image: reused
  }

  @Test
  void unpackingStopsBetweenEntriesOnceAskedTo() throws IOException {
    TarImages.Layer layer = new TarImages.Layer();
    for (int i = 0; i < 100; i++) {
      layer.file("f" + i, new byte[] {1}, 0644);
    }
    Path rootfs = temp.resolve("rootfs");
    int[] asked = {0};
    PackagingException stopped =
        assertThrows(
            PackagingException.class,
            () ->
                ImageCommand.unpack(
                    ImageTarball.read(image(layer)), rootfs, () -> ++asked[0] > 3, m -> {}));
    assertTrue(
        stopped.getMessage().endsWith("stopped: the program is stopping"), stopped.getMessage());
    try (Stream<Path> files = Files.list(rootfs)) {
      assertEquals(4, files.count(), "three entries and the unpacking marker, then it stopped");
    }
  }

  @Test
  void anInterruptedUnpackIntoARootfsIsDoneAgain() throws IOException {
    TarImages.Layer layer = new TarImages.Layer();
    for (int i = 0; i < 10; i++) {
      layer.file("f" + i, new byte[] {1}, 0644);
    }
    ImageTarball image = ImageTarball.read(image(layer));
    Path rootfs = temp.resolve("rootfs");
    assertThrows(
        PackagingException.class,
        () ->
            ImageCommand.unpack(image, rootfs, () -> Files.exists(rootfs.resolve("f3")), m -> {}));
    List<String> notices = new ArrayList<>();
    ImageCommand.unpack(image, rootfs, () -> false, notices::add);
    assertEquals(
        List.of("The previous unpack into " + rootfs + " was interrupted: unpacking it again"),
        notices);
    try (Stream<Path> files = Files.list(rootfs)) {
      assertEquals(11, files.count(), "ten files and the marker of a complete unpack");
    }
    ImageCommand.unpack(image, rootfs, () -> false, notices::add); // complete: reused
    assertEquals(1, notices.size());
  }

  @Test
  void aRootfsHoldingWhatOdahuPackDidNotUnpackIsNeverCleared() throws IOException {
    ImageTarball image =
        ImageTarball.read(image(new TarImages.Layer().file("f", new byte[] {1}, 0644)));
    Path rootfs = Files.createDirectories(temp.resolve("rootfs"));
    Path mine = Files.writeString(rootfs.resolve("mine.txt"), "mine\n");
    // Not the content odahu-pack writes: an image's (or someone's) file of that name.
    Files.writeString(rootfs.resolve(".odahu-pack-unpacking"), "something else\n");
    IllegalArgumentException refused =
        assertThrows(IllegalArgumentException.class, () -> ImageCommand.unpack(image, rootfs));
    assertEquals(rootfs + " is not empty: pick an empty directory", refused.getMessage());
    assertEquals("mine\n", Files.readString(mine));
    // With the mark of an unpacked image, but of another: said so.
    Files.writeString(rootfs.resolve(".odahu-pack-image"), "another image's id");
    assertEquals(
        rootfs + " holds another image: pick an empty directory",
        assertThrows(IllegalArgumentException.class, () -> ImageCommand.unpack(image, rootfs))
            .getMessage());
    assertEquals("mine\n", Files.readString(mine));
  }

  @Test
  void aRefusedUnpackRemovesTheDirectoryItCreatedAndOnlyThat() throws IOException {
    Path tarball =
        image(
            new TarImages.Layer()
                .file("big.bin", new byte[1 << 10], 0644)
                .hardLink("b", "missing"));
    Path rootfs = temp.resolve("made/rootfs");
    OdahuPackIT.Run run =
        OdahuPackIT.odahuPack("image", "unpack", tarball.toString(), rootfs.toString());
    assertEquals(1, run.status(), run.out() + run.err());
    assertTrue(run.err().contains("which is not a regular file"), run.err());
    // made/ was missing too: the unpack created it, and takes it away with rootfs.
    assertTrue(
        run.err().contains("Deleted the partial unpack " + temp.resolve("made") + ","), run.err());
    assertTrue(Files.notExists(temp.resolve("made")), "the refused unpack left its parent");
    // A directory that was there stays, with what the unpack wrote before it was refused.
    Path existing = Files.createDirectories(temp.resolve("existing"));
    assertEquals(
        1,
        OdahuPackIT.odahuPack("image", "unpack", tarball.toString(), existing.toString()).status());
    assertTrue(Files.isDirectory(existing));
  }

  @Test
  void aNameAlonePassesTheCallersValueAsDockerRunDoes() {
    assertEquals(
        List.of("A=1", "HOME=/home/me", "B=", "C=x=y"),
        ImageCommand.Run.environment(
            List.of("A=1", "HOME", "UNSET", "B=", "C=x=y"), Map.of("HOME", "/home/me")));
  }

  @Test
  void aRunWhoseUnpackingFailsLeavesNoTemporaryRootfs() throws IOException {
    Path tarball =
        image(
            new TarImages.Layer()
                .file("big.bin", new byte[1 << 20], 0644)
                .hardLink("b", "missing"));
    Path tmp = Files.createDirectories(temp.resolve("tmp"));
    Path jvmTmp = Path.of(System.getProperty("java.io.tmpdir"));
    List<Path> before = rootfsDirectories(jvmTmp);
    String saved = System.getProperty("java.io.tmpdir");
    System.setProperty("java.io.tmpdir", tmp.toString());
    OdahuPackIT.Run run;
    try {
      run = OdahuPackIT.odahuPack("image", "run", tarball.toString(), "/bin/true");
    } finally {
      System.setProperty("java.io.tmpdir", saved);
    }
    assertNotEquals(0, run.status(), run.out());
    assertTrue(run.err().contains("which is not a regular file"), run.err());
    assertEquals(List.of(), rootfsDirectories(tmp), "left in $TMPDIR");
    assertEquals(before, rootfsDirectories(jvmTmp), "left in the JVM's first temporary directory");
  }

  /** An image with nothing to run, and no command given: refused in one line, nothing unpacked. */
  @Test
  void anImageWithNoCommandIsRefusedBeforeItIsUnpacked() throws IOException {
    Path tarball = image(new TarImages.Layer().file("big.bin", new byte[1 << 20], 0644));
    Path tmp = Files.createDirectories(temp.resolve("tmp-no-command"));
    String saved = System.getProperty("java.io.tmpdir");
    System.setProperty("java.io.tmpdir", tmp.toString());
    OdahuPackIT.Run run;
    try {
      run = OdahuPackIT.odahuPack("image", "run", tarball.toString());
    } finally {
      System.setProperty("java.io.tmpdir", saved);
    }
    assertEquals(1, run.status(), run.err());
    assertEquals(
        "Error: The image has no Entrypoint and no Cmd: give the command to run after the tarball"
            + " (e.g. /bin/sh -c 'ls /')\n",
        run.err());
    assertEquals(List.of(), rootfsDirectories(tmp));
  }

  private static List<Path> rootfsDirectories(Path directory) throws IOException {
    try (Stream<Path> all = Files.list(directory)) {
      return all.filter(p -> p.getFileName().toString().startsWith("odahu-rootfs-"))
          .sorted()
          .toList();
    }
  }
}
