package org.odahu.pack.packager.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.packager.PackagingException;

/**
 * Unpacking an image never writes outside the root file system, even through the image's own links,
 * and applies the artifact reader's strictest rules: no {@code ../} names, bounded size.
 */
class ImageTarballTest {
  @TempDir Path temp;

  @Test
  void aMissingTarballSaysSoRatherThanRepeatingItsName() {
    Path missing = temp.resolve("nonexist.tar");
    PackagingException error =
        assertThrows(PackagingException.class, () -> ImageTarball.read(missing));
    assertEquals("Cannot read image tarball " + missing + ": no such file", error.getMessage());
  }

  @Test
  void linksResolveInsideTheRoot() throws IOException {
    Path root = Files.createDirectories(temp.resolve("rootfs")).toRealPath();
    Files.createDirectories(root.resolve("usr/bin"));
    Files.createSymbolicLink(root.resolve("bin"), Path.of("usr/bin"));
    Files.createSymbolicLink(root.resolve("escape"), Path.of("/etc"));
    Files.createSymbolicLink(root.resolve("up"), Path.of("../../.."));
    assertEquals(root.resolve("usr/bin/python3"), ImageTarball.inside(root, "bin/python3"));
    assertEquals(root.resolve("etc/passwd"), ImageTarball.inside(root, "escape/passwd"));
    assertEquals(root.resolve("etc/shadow"), ImageTarball.inside(root, "up/etc/shadow"));
    assertEquals(root.resolve("etc"), ImageTarball.inside(root, "../../etc"));
    Files.createSymbolicLink(root.resolve("loop"), Path.of("loop"));
    assertNull(ImageTarball.inside(root, "loop/x"));
  }

  /** A layer: a tar (gzip-compressed) written by {@code entries}. */
  interface Layer {
    void write(TarArchiveOutputStream tar) throws IOException;
  }

  /** A {@code docker save} tarball with one layer. */
  private Path image(Layer layer) throws IOException {
    ByteArrayOutputStream layerBytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar =
        new TarArchiveOutputStream(new GZIPOutputStream(layerBytes))) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      layer.write(tar);
    }
    return image(layerBytes.toByteArray());
  }

  /** A {@code docker save} tarball with one layer of {@code layer}'s bytes. */
  private Path image(byte[] layer) throws IOException {
    Path tarball = temp.resolve("image.tar");
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(tarball))) {
      add(tar, "manifest.json", "[{\"Config\": \"config.json\", \"Layers\": [\"layer.tar.gz\"]}]");
      add(tar, "config.json", "{\"config\": {\"Env\": [\"A=1\"]}}");
      add(tar, "layer.tar.gz", layer);
    }
    return tarball;
  }

  private static void add(TarArchiveOutputStream tar, String name, String text) throws IOException {
    add(tar, name, text.getBytes(StandardCharsets.UTF_8));
  }

  private static void add(TarArchiveOutputStream tar, String name, byte[] bytes)
      throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name, true);
    entry.setSize(bytes.length);
    entry.setMode(0644);
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

  private PackagingException refused(Layer layer) throws IOException {
    Path tarball = image(layer);
    Path rootfs = temp.resolve("rootfs");
    PackagingException e =
        assertThrows(PackagingException.class, () -> ImageTarball.read(tarball).unpack(rootfs));
    assertFalse(Files.exists(temp.resolve("etc")), "nothing written next to the root");
    return e;
  }

  @Test
  void anImagesAbsoluteLinksAreFollowedInsideTheRoot() throws IOException {
    Path tarball =
        image(
            tar -> {
              add(tar, "usr/lib/python3/os.py", "pass\n");
              link(tar, "lib", "/usr/lib", TarConstants.LF_SYMLINK);
              add(tar, "lib/python3/site.py", "pass\n");
              link(tar, "usr/lib/python3/copy.py", "usr/lib/python3/os.py", TarConstants.LF_LINK);
              TarArchiveEntry device = new TarArchiveEntry("dev/null", TarConstants.LF_CHR);
              tar.putArchiveEntry(device);
              tar.closeArchiveEntry();
            });
    Path rootfs = temp.resolve("rootfs");
    ImageTarball image = ImageTarball.read(tarball);
    assertEquals("A=1", image.config().at("/config/Env/0").asText());
    image.unpack(rootfs);
    assertTrue(Files.isRegularFile(rootfs.resolve("usr/lib/python3/site.py")));
    assertTrue(Files.isSymbolicLink(rootfs.resolve("lib")));
    assertEquals("pass\n", Files.readString(rootfs.resolve("usr/lib/python3/copy.py")));
    assertFalse(Files.exists(rootfs.resolve("dev/null"), LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void aDirectoryReplacedByALinkIsWrittenThroughTheLinkAfterwards() throws IOException {
    Path tarball =
        image(
            tar -> {
              tar.putArchiveEntry(new TarArchiveEntry("data/"));
              tar.closeArchiveEntry();
              add(tar, "data/one.txt", "1");
              add(tar, "other/keep.txt", "k");
              link(tar, "data", "other", TarConstants.LF_SYMLINK);
              add(tar, "data/two.txt", "2");
            });
    Path rootfs = temp.resolve("rootfs");
    ImageTarball.read(tarball).unpack(rootfs);
    assertTrue(Files.isSymbolicLink(rootfs.resolve("data")));
    assertEquals("2", Files.readString(rootfs.resolve("other/two.txt")));
  }

  @Test
  void deeplyNestedDirectoriesUnpackInTimeInProportionToTheirNumber() throws IOException {
    // 1,500 levels: 23 s when each entry checked every directory on its path for a link.
    StringBuilder name = new StringBuilder();
    Path tarball =
        image(
            tar -> {
              for (int level = 0; level < 1500; level++) {
                name.append("d/");
                tar.putArchiveEntry(new TarArchiveEntry(name.toString()));
                tar.closeArchiveEntry();
              }
              add(tar, name + "leaf.txt", "x");
            });
    Path rootfs = temp.resolve("rootfs");
    assertTimeoutPreemptively(
        Duration.ofSeconds(10), () -> ImageTarball.read(tarball).unpack(rootfs));
    Path leaf = rootfs.resolve(name.toString());
    assertEquals("x", Files.readString(leaf.resolve("leaf.txt")));
    // Deepest first, as @TempDir's own clean-up takes as long as the old unpacking did.
    Files.delete(leaf.resolve("leaf.txt"));
    for (Path dir = leaf; !dir.equals(rootfs); dir = dir.getParent()) {
      Files.delete(dir);
    }
  }

  @Test
  void filesKeepTheirModificationTimesAsARuntimeKeepsThem() throws IOException {
    // The JVM uses an image's class-data archive only with jars of the times it recorded.
    FileTime layerTime = FileTime.fromMillis(1000);
    Path tarball =
        image(
            tar -> {
              TarArchiveEntry jar = new TarArchiveEntry("opt/odahu-pack/lib/server.jar", true);
              jar.setSize(3);
              jar.setMode(0644);
              jar.setModTime(layerTime);
              tar.putArchiveEntry(jar);
              tar.write(new byte[] {1, 2, 3});
              tar.closeArchiveEntry();
            });
    Path rootfs = temp.resolve("rootfs");
    ImageTarball.read(tarball).unpack(rootfs);
    assertEquals(
        layerTime, Files.getLastModifiedTime(rootfs.resolve("opt/odahu-pack/lib/server.jar")));
  }

  @Test
  void aNameThatClimbsOutOfTheRootIsRefused() throws IOException {
    PackagingException e = refused(tar -> add(tar, "usr/../../etc/passwd", "x"));
    assertTrue(
        e.getMessage().contains("Refusing archive entry 'usr/../../etc/passwd'"), e.getMessage());
    assertTrue(e.getMessage().contains("escapes the archive's root"), e.getMessage());
  }

  @Test
  void aHardLinkToNothingIsRefused() throws IOException {
    PackagingException e =
        refused(tar -> link(tar, "usr/bin/x", "usr/bin/missing", TarConstants.LF_LINK));
    assertTrue(e.getMessage().contains("which is not a regular file"), e.getMessage());
  }

  @Test
  void theRootItselfCanBeNamedAsADirectoryButNotReplaced() throws IOException {
    Path victim = Files.createDirectories(temp.resolve("victim"));
    Path rootfs = temp.resolve("rootfs");
    ImageTarball.read(
            image(
                tar -> {
                  tar.putArchiveEntry(new TarArchiveEntry("./"));
                  tar.closeArchiveEntry();
                  add(tar, "./a.txt", "a");
                }))
        .unpack(rootfs);
    assertEquals("a", Files.readString(rootfs.resolve("a.txt")));

    PackagingException e =
        refused(
            tar -> {
              link(tar, ".", victim.toString(), TarConstants.LF_SYMLINK);
              add(tar, "pwned.txt", "x");
            });
    assertTrue(e.getMessage().contains("it names the root itself"), e.getMessage());
    assertFalse(Files.exists(victim.resolve("pwned.txt")), "written through the root's link");
  }

  @Test
  void aWhiteoutOfTheParentIsRefused() throws IOException {
    Path sibling = Files.createDirectories(temp.resolve("sibling"));
    for (String whiteout : new String[] {".wh...", ".wh..", ".wh."}) {
      PackagingException e = refused(tar -> add(tar, whiteout, ""));
      assertTrue(e.getMessage().contains("would delete outside its directory"), e.getMessage());
      assertTrue(Files.isDirectory(sibling), whiteout + " deleted the root's sibling");
    }
  }

  @Test
  void aLoopOfNestedLinksIsRefusedNotACrash() throws IOException {
    PackagingException e =
        refused(
            tar -> {
              link(tar, "a", "b/x", TarConstants.LF_SYMLINK);
              link(tar, "b", "a/x", TarConstants.LF_SYMLINK);
              add(tar, "a/y/z", "x");
            });
    assertTrue(e.getMessage().contains("a loop of links"), e.getMessage());
  }

  @Test
  void aSparseFileCountsAtItsRealSize() throws Exception {
    // 200 MiB of holes take a few hundred bytes in a GNU sparse tar.
    Path files = Files.createDirectories(temp.resolve("sparse"));
    try (var file =
        java.nio.channels.FileChannel.open(
            files.resolve("holes.bin"),
            java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.WRITE)) {
      file.truncate(0);
      file.write(java.nio.ByteBuffer.wrap(new byte[] {1}), (200L << 20) - 1);
    }
    Path layer = temp.resolve("layer.tar.gz");
    Process tar =
        new ProcessBuilder("tar", "--sparse", "-czf", layer.toString(), "-C", files.toString(), ".")
            .inheritIO()
            .start();
    assertEquals(0, tar.waitFor());
    Path tarball = image(Files.readAllBytes(layer));
    Path rootfs = temp.resolve("rootfs");
    PackagingException e =
        assertThrows(PackagingException.class, () -> ImageTarball.read(tarball).unpack(rootfs));
    assertTrue(e.getMessage().contains("looks like a compression bomb"), e.getMessage());
    assertFalse(Files.exists(rootfs.resolve("holes.bin")), "refused before writing it");
  }

  @Test
  void namesAndHeadersOverAMebibyteAreRefusedAsTheyAreRead() throws IOException {
    PackagingException e =
        refused(
            tar -> {
              TarArchiveEntry entry = new TarArchiveEntry("x.txt");
              entry.addPaxHeader("comment", "c".repeat(2 << 20));
              entry.setSize(1);
              tar.putArchiveEntry(entry);
              tar.write('x');
              tar.closeArchiveEntry();
            });
    assertTrue(e.getMessage().contains("MiB of names and headers"), e.getMessage());
  }

  @Test
  void aManifestThatDescribesNoImageIsRefusedClearly() throws IOException {
    for (String manifest : new String[] {"[]", "{}", "[1]"}) {
      Path tarball = temp.resolve("empty-manifest.tar");
      try (TarArchiveOutputStream tar =
          new TarArchiveOutputStream(Files.newOutputStream(tarball))) {
        add(tar, "manifest.json", manifest);
      }
      PackagingException e =
          assertThrows(PackagingException.class, () -> ImageTarball.read(tarball), manifest);
      assertTrue(e.getMessage().contains("does not describe an image"), e.getMessage());
    }
  }

  @Test
  void aManifestListingMoreLayersThanAnyEngineIsRefused() throws IOException {
    Path tarball = temp.resolve("layers.tar");
    String layers = "\"layer.tar\",".repeat(ImageTarball.MAX_LAYERS) + "\"layer.tar\"";
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(tarball))) {
      add(tar, "config.json", "{}");
      add(tar, "layer.tar", new byte[1024]);
      add(tar, "manifest.json", "[{\"Config\": \"config.json\", \"Layers\": [" + layers + "]}]");
    }
    PackagingException e = assertThrows(PackagingException.class, () -> ImageTarball.read(tarball));
    assertTrue(e.getMessage().contains("lists 1001 layers; at most 1000 are read"), e.getMessage());
  }

  @Test
  void aLayerThatExpandsTooMuchIsRefusedBeforeItIsWritten() throws IOException {
    long size = 80L << 20;
    PackagingException e =
        refused(
            tar -> {
              TarArchiveEntry entry = new TarArchiveEntry("zeros.bin");
              entry.setSize(size);
              tar.putArchiveEntry(entry);
              byte[] block = new byte[1 << 16];
              for (long done = 0; done < size; done += block.length) {
                tar.write(block);
              }
              tar.closeArchiveEntry();
            });
    assertTrue(e.getMessage().contains("looks like a compression bomb"), e.getMessage());
    assertFalse(Files.exists(temp.resolve("rootfs/zeros.bin")), "refused before writing it");
  }
}
