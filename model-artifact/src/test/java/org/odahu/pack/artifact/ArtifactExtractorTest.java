package org.odahu.pack.artifact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.archive.ArchiveLimitExceededException;
import org.odahu.pack.artifact.archive.ExtractionLimits;
import org.odahu.pack.artifact.archive.UnsafeArchiveEntryException;
import org.odahu.pack.artifact.files.ExitCleanup;

/**
 * Hostile archives extracted into {@code box/root}, next to a sentinel file {@code etc/passwd}
 * outside it: after every refusal the sentinel is intact and nothing new exists outside the root.
 */
class ArtifactExtractorTest {
  private static final String SENTINEL_TEXT = "root:x:0:0:root:/root:/bin/sh\n";
  private static final ExtractionLimits LIMITS = new ExtractionLimits(100, 1L << 30, 100, 1L << 20);

  // d/l1 -> .. is the root; d/l2 -> l1/../.. looks like the root but really is two levels above
  // it, where etc/passwd is the sentinel; d/l2/etc/passwd would replace it.
  private static final String[] L1 = {"d/l1", ".."};
  private static final String[] L2 = {"d/l2", "l1/../.."};
  private static final String[] THROUGH_L2 = {"d/l2/etc/passwd", "z"};
  private static final String[] NEW_DIR_THROUGH_L2 = {"d/l2/made/here", "z"};

  @TempDir Path temp;
  private ExitCleanup.TemporaryDirectory directory;
  private Path root;
  private Path sentinel;
  private Path archive;
  private List<Path> outsideBefore;

  @BeforeEach
  void layout() throws IOException {
    directory =
        ExitCleanup.manual()
            .newTemporaryDirectory(Files.createDirectories(temp.resolve("box")), "root-");
    root = directory.path();
    sentinel = Files.createDirectories(temp.resolve("etc")).resolve("passwd");
    Files.writeString(sentinel, SENTINEL_TEXT);
    archive = Files.createDirectories(temp.resolve("archives")).resolve("hostile");
    outsideBefore = outsideTheRoot();
  }

  @AfterEach
  void nothingOutsideTheRootChanged() throws IOException {
    assertTrue(Files.isRegularFile(sentinel, LinkOption.NOFOLLOW_LINKS), "sentinel replaced");
    assertEquals(SENTINEL_TEXT, Files.readString(sentinel));
    List<Path> expected = Stream.concat(outsideBefore.stream(), Stream.of(archive)).toList();
    assertEquals(expected.stream().sorted().toList(), outsideTheRoot());
  }

  /** Every path under the temp directory but outside the root; links are listed, not followed. */
  private List<Path> outsideTheRoot() throws IOException {
    try (Stream<Path> all = Files.walk(temp)) {
      return all.filter(p -> !p.startsWith(root) || p.equals(root)).sorted().toList();
    }
  }

  private UnsafeArchiveEntryException refused(ArtifactFormat format) {
    return assertThrows(
        UnsafeArchiveEntryException.class,
        () -> ArtifactExtractor.extract(archive, format, directory, LIMITS));
  }

  private UnsafeArchiveEntryException refusedTar(String[]... links) throws IOException {
    try (TestArchives.Tar tar = new TestArchives.Tar(archive, true)) {
      tar.model();
      for (String[] link : links) {
        tar.link(link[0], link[1], TestArchives.SYMLINK);
      }
    }
    return refused(ArtifactFormat.GZIP_TAR);
  }

  private UnsafeArchiveEntryException refusedZip(String[]... links) throws IOException {
    try (TestArchives.Zip zip = new TestArchives.Zip(archive)) {
      zip.model();
      for (String[] link : links) {
        zip.symlink(link[0], link[1]);
      }
    }
    return refused(ArtifactFormat.ZIP);
  }

  @Test
  void tarLinkChainIsRefusedAsSoonAsTheEscapingLinkExists() throws IOException {
    UnsafeArchiveEntryException e = refusedTar(L1, L2, THROUGH_L2, NEW_DIR_THROUGH_L2);
    assertEquals("d/l2", e.entry());
    assertTrue(e.getMessage().contains("points outside the artifact"), e.getMessage());
  }

  @Test
  void tarEntryBelowALinkIsRefusedEvenWhileTheChainDangles() throws IOException {
    // Listed before l1, l2 dangles when created: the entry below it must be refused on its own.
    UnsafeArchiveEntryException e = refusedTar(L2, L1, THROUGH_L2, NEW_DIR_THROUGH_L2);
    assertEquals("d/l2/etc/passwd", e.entry());
    assertTrue(e.getMessage().contains("'d/l2' on its path is a symbolic link"), e.getMessage());
  }

  @Test
  void zipLinkChainIsRefusedAsSoonAsTheEscapingLinkExists() throws IOException {
    assertEquals("d/l2", refusedZip(L1, L2, THROUGH_L2, NEW_DIR_THROUGH_L2).entry());
  }

  @Test
  void zipEntryBelowALinkIsRefusedEvenWhileTheChainDangles() throws IOException {
    assertEquals("d/l2/made/here", refusedZip(L2, L1, NEW_DIR_THROUGH_L2, THROUGH_L2).entry());
  }

  @Test
  void tarAbsolutePathIsRefused() throws IOException {
    try (TestArchives.Tar tar = new TestArchives.Tar(archive, false)) {
      tar.model().file(sentinel.toString(), "overwritten");
    }
    UnsafeArchiveEntryException e = refused(ArtifactFormat.TAR);
    assertEquals(sentinel.toString(), e.entry());
    assertTrue(e.getMessage().contains("absolute paths are not allowed"), e.getMessage());
  }

  @Test
  void tarBlockDeviceIsRefused() throws IOException {
    try (TestArchives.Tar tar = new TestArchives.Tar(archive, true)) {
      tar.model().special("./odahuflow_model/sda", TestArchives.BLOCK_DEVICE);
    }
    UnsafeArchiveEntryException e = refused(ArtifactFormat.GZIP_TAR);
    assertEquals("./odahuflow_model/sda", e.entry());
    assertTrue(e.getMessage().contains("device files are not allowed"), e.getMessage());
  }

  @Test
  void tarDirectoriesAndLinksThatCarryDataAreRefused() throws IOException {
    // The reader would take a directory's data for the next headers (past the 1 MiB bound on
    // them), and decompress a link's unaccounted.
    for (byte type : new byte[] {TestArchives.DIRECTORY, TestArchives.SYMLINK}) {
      try (TestArchives.Tar tar = new TestArchives.Tar(archive, false)) {
        tar.model().file("./odahuflow_model/x", new byte[1024], 0644);
      }
      TestArchives.retype(archive, "./odahuflow_model/x", type);
      UnsafeArchiveEntryException e = refused(ArtifactFormat.TAR);
      assertEquals("./odahuflow_model/x", e.entry().replaceAll("/$", ""));
      assertTrue(e.getMessage().contains("entry that carries data"), e.getMessage());
    }
  }

  @Test
  void namesNoFileSystemCanHoldAreRefused() throws IOException {
    // Checking a megabyte of one-letter parts, one file-system call each, took minutes.
    try (TestArchives.Tar tar = new TestArchives.Tar(archive, true)) {
      tar.model().file("./odahuflow_model/" + "a/".repeat(2100) + "x", "deep");
    }
    UnsafeArchiveEntryException e = refused(ArtifactFormat.GZIP_TAR);
    assertTrue(e.getMessage().contains("a name longer than 4096 characters"), e.getMessage());
    try (TestArchives.Tar tar = new TestArchives.Tar(archive, true)) {
      tar.model().file("./odahuflow_model/" + "n".repeat(256), "long");
    }
    e = refused(ArtifactFormat.GZIP_TAR);
    assertTrue(e.getMessage().contains("a path element longer than 255 bytes"), e.getMessage());
  }

  @Test
  void aZipDeclaringMoreEntriesThanTheLimitIsRefusedBeforeItsDirectoryIsRead() throws IOException {
    for (boolean zip64 : new boolean[] {false, true}) {
      try (TestArchives.Zip zip = new TestArchives.Zip(archive)) {
        if (zip64) {
          zip.zip64();
        }
        zip.model();
        for (int i = 0; i < 150; i++) {
          zip.file("odahuflow_model/f" + i, "x");
        }
      }
      ArchiveLimitExceededException e =
          assertThrows(
              ArchiveLimitExceededException.class,
              () -> ArtifactExtractor.extract(archive, ArtifactFormat.ZIP, directory, LIMITS));
      assertTrue(
          e.getMessage()
              .contains("has more than 100 entries (its central directory, before any is read)"),
          e.getMessage());
    }
  }

  @Test
  void zipCompressionBombIsRefused() throws IOException {
    try (TestArchives.Zip zip = new TestArchives.Zip(archive)) {
      zip.model().zeros("odahuflow_model/zeros.bin", 3L << 20);
    }
    ArchiveLimitExceededException e =
        assertThrows(
            ArchiveLimitExceededException.class,
            () -> ArtifactExtractor.extract(archive, ArtifactFormat.ZIP, directory, LIMITS));
    assertTrue(e.getMessage().contains("looks like a compression bomb"), e.getMessage());
    assertTrue(e.getMessage().contains("odahuflow_model/zeros.bin"), e.getMessage());
  }

  @Test
  void filesKeepTheirTimeFromTheArchiveAsTarAndUnzipKeepIt() throws IOException {
    java.nio.file.attribute.FileTime time =
        java.nio.file.attribute.FileTime.from(java.time.Instant.parse("2021-03-04T05:06:08Z"));
    try (var zip = new org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream(archive)) {
      var entry =
          new org.apache.commons.compress.archivers.zip.ZipArchiveEntry(
              "wheels/alpha-1.0-py3-none-any.whl");
      entry.setLastModifiedTime(time);
      zip.putArchiveEntry(entry);
      zip.write(new byte[] {1, 2, 3});
      zip.closeArchiveEntry();
    }
    ArtifactExtractor.extract(archive, ArtifactFormat.ZIP, directory, LIMITS);
    assertEquals(
        time.toMillis(),
        Files.getLastModifiedTime(root.resolve("wheels/alpha-1.0-py3-none-any.whl")).toMillis());
  }

  @Test
  void linksInsideStillWork() throws IOException {
    try (TestArchives.Zip zip = new TestArchives.Zip(archive)) {
      zip.model().symlink("odahuflow_model/alias.py", "entrypoint.py").symlink("up", "d/l1");
      zip.symlink("d/l1", "..");
    }
    ArtifactExtractor.extract(archive, ArtifactFormat.ZIP, directory, LIMITS);
    assertTrue(Files.readString(root.resolve("odahuflow_model/alias.py")).contains("matrix"));
    // "up" pointed at a link that did not exist yet when it was created.
    assertEquals(root.toRealPath(), root.resolve("up").toRealPath());
  }

  @Test
  void aLinkThatWouldReplaceADirectoryIsRefusedByName() throws IOException {
    try (TestArchives.Tar tar = new TestArchives.Tar(archive, true)) {
      tar.model().file("./odahuflow_model/data/x.csv", "1,2\n");
      tar.link("./odahuflow_model/data", "entrypoint.py", TestArchives.SYMLINK);
    }
    UnsafeArchiveEntryException e = refused(ArtifactFormat.GZIP_TAR);
    assertEquals("./odahuflow_model/data", e.entry());
    assertTrue(e.getMessage().contains("cannot replace the directory"), e.getMessage());
  }

  @Test
  void deeplyNestedDirectoriesExtractInTimeInProportionToTheirNumber() throws IOException {
    // 1,500 levels: 20 s when each entry checked every directory on its path for a link.
    String name = "./odahuflow_model/";
    try (TestArchives.Tar tar = new TestArchives.Tar(archive, true)) {
      tar.model();
      for (int level = 0; level < 1500; level++) {
        name += "d/";
        tar.special(name, TestArchives.DIRECTORY);
      }
      tar.file(name + "leaf.txt", "x");
    }
    ExtractionLimits limits = new ExtractionLimits(2000, 1L << 30, 100, 1L << 20);
    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () -> ArtifactExtractor.extract(archive, ArtifactFormat.GZIP_TAR, directory, limits));
    Path leaf = root.resolve(name).normalize();
    assertEquals("x", Files.readString(leaf.resolve("leaf.txt")));
    // Deepest first, as @TempDir's own clean-up takes as long as the old extraction did.
    Files.delete(leaf.resolve("leaf.txt"));
    for (Path dir = leaf; !dir.equals(root.resolve("odahuflow_model")); dir = dir.getParent()) {
      Files.delete(dir);
    }
  }
}
