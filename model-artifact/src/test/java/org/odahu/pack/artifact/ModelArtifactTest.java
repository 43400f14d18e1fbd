package org.odahu.pack.artifact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.archive.ArchiveLimitExceededException;
import org.odahu.pack.artifact.archive.CorruptArchiveException;
import org.odahu.pack.artifact.archive.ExtractionLimits;
import org.odahu.pack.artifact.archive.UnsafeArchiveEntryException;
import org.odahu.pack.artifact.testing.Examples;

class ModelArtifactTest {
  private static final ExtractionLimits SMALL = new ExtractionLimits(20, 4L << 20, 100, 1L << 20);

  @TempDir Path temp;
  private List<Path> tempDirsBefore;

  @BeforeEach
  void rememberTempDirs() throws IOException {
    tempDirsBefore = extractionDirs();
  }

  @AfterEach
  void noExtractionDirectoryLeaks() throws IOException {
    assertEquals(tempDirsBefore, extractionDirs());
  }

  private static List<Path> extractionDirs() throws IOException {
    try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return files
          .filter(p -> p.getFileName().toString().startsWith("odahu-artifact-"))
          .sorted()
          .toList();
    }
  }

  @Test
  void opensEveryExampleFormat() {
    for (Path path :
        List.of(
            Examples.artifact("wine"), Examples.gzipTarball("wine"), Examples.deflateZip("wine"))) {
      try (ModelArtifact artifact = ModelArtifact.open(path)) {
        assertEquals("wine", artifact.manifest().model().name());
        assertEquals("1.0", artifact.manifest().model().version());
        assertTrue(Files.isRegularFile(artifact.workDir().resolve("model.pkl")), path.toString());
      }
    }
  }

  @Test
  void detectsByContentNotByName() throws IOException {
    Path misnamed = temp.resolve("model.tar.bz2");
    Files.copy(Examples.gzipTarball("simple"), misnamed);
    Path zipAsTgz = temp.resolve("model.tgz");
    Files.copy(Examples.deflateZip("simple"), zipAsTgz);
    assertEquals(ArtifactFormat.GZIP_TAR, ArtifactFormat.detect(misnamed));
    assertEquals(ArtifactFormat.ZIP, ArtifactFormat.detect(zipAsTgz));
    try (ModelArtifact artifact = ModelArtifact.open(zipAsTgz)) {
      assertEquals("simple", artifact.manifest().model().name());
    }
  }

  /** {@code archive}'s first half, as an interrupted copy or download leaves it. */
  private Path truncated(Path archive, String name) throws IOException {
    byte[] bytes = Files.readAllBytes(archive);
    return Files.write(temp.resolve(name), Arrays.copyOf(bytes, bytes.length / 2));
  }

  @Test
  void aTruncatedArchiveIsCalledSoByName() throws IOException {
    Path tgz = truncated(Examples.gzipTarball("wine"), "wine.tgz");
    assertEquals(
        "Model artifact " + tgz + " is truncated or is not a valid gzip tarball (it ends early)",
        assertThrows(CorruptArchiveException.class, () -> ModelArtifact.open(tgz)).getMessage());
    Path zip = truncated(Examples.deflateZip("wine"), "wine.zip");
    assertEquals(
        "Model artifact "
            + zip
            + " is truncated or is not a valid ZIP file (no central directory at its end)",
        assertThrows(CorruptArchiveException.class, () -> ModelArtifact.open(zip)).getMessage());
    Path whole = temp.resolve("model.tar");
    try (TestArchives.Tar archive = new TestArchives.Tar(whole, false)) {
      archive.model().file("odahuflow_model/weights.bin", new byte[8192], 0644);
    }
    Path tar = truncated(whole, "cut.tar");
    assertEquals(
        "Model artifact "
            + tar
            + " is truncated or is not a valid tar archive (Truncated TAR archive)",
        assertThrows(CorruptArchiveException.class, () -> ModelArtifact.open(tar)).getMessage());
  }

  @Test
  void plainTarWithExecutableBits() throws IOException {
    Path tar = temp.resolve("model.tar");
    try (TestArchives.Tar archive = new TestArchives.Tar(tar, false)) {
      archive
          .model()
          .file("odahuflow_model/run.sh", "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8), 0755);
    }
    assertEquals(ArtifactFormat.TAR, ArtifactFormat.detect(tar));
    try (ModelArtifact artifact = ModelArtifact.open(tar)) {
      assertTrue(Files.isExecutable(artifact.workDir().resolve("run.sh")));
      assertFalse(Files.isExecutable(artifact.workDir().resolve("entrypoint.py")));
    }
  }

  @Test
  void extractedFilesAreRemovedOnClose() {
    Path root;
    try (ModelArtifact artifact = ModelArtifact.open(Examples.gzipTarball("simple"))) {
      root = artifact.root();
      assertTrue(Files.isDirectory(root));
    }
    assertFalse(Files.exists(root));
  }

  @Test
  void directoryArtifactIsNeverDeleted() {
    try (ModelArtifact artifact = ModelArtifact.open(Examples.artifact("simple"))) {
      assertEquals(Examples.artifact("simple").toAbsolutePath(), artifact.root());
    }
    assertTrue(Files.isDirectory(Examples.artifact("simple")));
  }

  @Test
  void acceptsTheLegacyManifestNameAndASingleTopDirectory() throws IOException {
    Path tgz = temp.resolve("legacy.zip");
    try (TestArchives.Tar archive = new TestArchives.Tar(tgz, true)) {
      archive
          .file("wrapper/odahuflow.model.yaml", TestArchives.MANIFEST)
          .file("wrapper/odahuflow_model/entrypoint.py", "");
    }
    try (ModelArtifact artifact = ModelArtifact.open(tgz)) {
      assertEquals("odahuflow.model.yaml", artifact.manifestFile().getFileName().toString());
      assertEquals("wrapper", artifact.root().getFileName().toString());
    }
  }

  private UnsafeArchiveEntryException refusedTar(TarWriter writer) throws IOException {
    Path tgz = temp.resolve("hostile.zip");
    try (TestArchives.Tar archive = new TestArchives.Tar(tgz, true)) {
      writer.write(archive.model());
    }
    return assertThrows(UnsafeArchiveEntryException.class, () -> ModelArtifact.open(tgz, SMALL));
  }

  interface TarWriter {
    void write(TestArchives.Tar tar) throws IOException;
  }

  @Test
  void refusesPathTraversal() throws IOException {
    UnsafeArchiveEntryException e =
        refusedTar(tar -> tar.file("./odahuflow_model/../../evil.py", "x"));
    assertEquals("./odahuflow_model/../../evil.py", e.entry());
    assertTrue(e.getMessage().contains("escapes the archive's root"), e.getMessage());
  }

  @Test
  void refusesAbsolutePaths() throws IOException {
    Path zip = temp.resolve("absolute.zip");
    TestArchives.zip(zip, "/tmp/odahu-evil", "x", false);
    UnsafeArchiveEntryException e =
        assertThrows(UnsafeArchiveEntryException.class, () -> ModelArtifact.open(zip));
    assertEquals("/tmp/odahu-evil", e.entry());
    assertTrue(e.getMessage().contains("absolute paths are not allowed"));
  }

  @Test
  void aZipNameThatIsNotUtf8IsRefusedNotReadWithAQuestionMark() throws IOException {
    Path zip = temp.resolve("latin1.zip");
    try (TestArchives.Zip latin1 = new TestArchives.Zip(zip).names("ISO-8859-1", false)) {
      latin1.model().file("odahuflow_model/caf\u00e9.txt", "x");
    }
    UnsafeArchiveEntryException e =
        assertThrows(UnsafeArchiveEntryException.class, () -> ModelArtifact.open(zip));
    assertEquals("odahuflow_model/caf\\xe9.txt", e.entry());
    assertTrue(e.getMessage().contains("its name is not UTF-8"), e.getMessage());

    // With Info-ZIP's Unicode path fields the name is known: taken.
    Path unicode = temp.resolve("unicode.zip");
    try (TestArchives.Zip fields = new TestArchives.Zip(unicode).names("ISO-8859-1", true)) {
      fields.model().file("odahuflow_model/caf\u00e9.txt", "x");
    }
    try (ModelArtifact artifact = ModelArtifact.open(unicode)) {
      assertTrue(Files.exists(artifact.root().resolve("odahuflow_model/caf\u00e9.txt")));
    }
  }

  @Test
  void refusesZipTraversal() throws IOException {
    Path zip = temp.resolve("traversal.zip");
    TestArchives.zip(zip, "../outside.txt", "x", false);
    assertEquals(
        "../outside.txt",
        assertThrows(UnsafeArchiveEntryException.class, () -> ModelArtifact.open(zip)).entry());
    assertFalse(Files.exists(temp.resolve("outside.txt")));
  }

  @Test
  void refusesSymlinksOutside() throws IOException {
    assertTrue(
        refusedTar(tar -> tar.link("./odahuflow_model/passwd", "/etc/passwd", TestArchives.SYMLINK))
            .getMessage()
            .contains("points outside the artifact"));
    assertTrue(
        refusedTar(tar -> tar.link("./odahuflow_model/up", "../../..", TestArchives.SYMLINK))
            .getMessage()
            .contains("points outside the artifact"));
    Path zip = temp.resolve("symlink.zip");
    TestArchives.zip(zip, "odahuflow_model/link", "../../../etc/passwd", true);
    assertEquals(
        "odahuflow_model/link",
        assertThrows(UnsafeArchiveEntryException.class, () -> ModelArtifact.open(zip)).entry());
  }

  @Test
  void aZipLinkWhoseDeclaredSizeLiesIsReadNoFurtherThanAPath() throws IOException {
    Path zip = temp.resolve("lying-link.zip");
    String name = "odahuflow_model/link";
    TestArchives.zip(zip, name, "a".repeat(1 << 20), true);
    // The sizes the local and central headers declare for the link: 10 bytes instead of 1 MiB.
    byte[] bytes = Files.readAllBytes(zip);
    ByteBuffer patched = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    byte[] encoded = name.getBytes(StandardCharsets.UTF_8);
    int patches = 0;
    for (int at = 0; at + 46 + encoded.length <= bytes.length; at++) {
      int signature = patched.getInt(at);
      int nameAt = signature == 0x04034b50 ? at + 30 : signature == 0x02014b50 ? at + 46 : -1;
      if (nameAt > 0
          && Arrays.equals(bytes, nameAt, nameAt + encoded.length, encoded, 0, encoded.length)) {
        patched.putInt(signature == 0x04034b50 ? at + 22 : at + 24, 10);
        patches++;
      }
    }
    assertEquals(2, patches);
    Files.write(zip, bytes);
    UnsafeArchiveEntryException e =
        assertThrows(UnsafeArchiveEntryException.class, () -> ModelArtifact.open(zip));
    assertTrue(e.getMessage().contains("a link target longer than a path"), e.getMessage());
  }

  @Test
  void refusesAChainOfLinksThatOnlyLooksInside() throws IOException {
    // d/l1 -> .. (the root: fine); d/l2 -> l1/../.. is lexically the root but really its parent.
    UnsafeArchiveEntryException e =
        refusedTar(
            tar ->
                tar.link("./d/l1", "..", TestArchives.SYMLINK)
                    .link("./d/l2", "l1/../..", TestArchives.SYMLINK));
    assertEquals("./d/l2", e.entry());
  }

  @Test
  void keepsLinksInside() throws IOException {
    Path tgz = temp.resolve("links.zip");
    try (TestArchives.Tar archive = new TestArchives.Tar(tgz, true)) {
      archive
          .model()
          .file("./odahuflow_model/data.bin", "payload")
          .link("./odahuflow_model/alias.bin", "data.bin", TestArchives.SYMLINK)
          .link("./odahuflow_model/copy.bin", "./odahuflow_model/data.bin", TestArchives.HARDLINK);
    }
    try (ModelArtifact artifact = ModelArtifact.open(tgz)) {
      assertEquals("payload", Files.readString(artifact.workDir().resolve("alias.bin")));
      assertEquals("payload", Files.readString(artifact.workDir().resolve("copy.bin")));
      assertTrue(Files.isSymbolicLink(artifact.workDir().resolve("alias.bin")));
    }
  }

  @Test
  void refusesHardLinksOutside() throws IOException {
    assertTrue(
        refusedTar(
                tar ->
                    tar.link("./odahuflow_model/shadow", "../../etc/shadow", TestArchives.HARDLINK))
            .getMessage()
            .contains("points outside the artifact"));
  }

  @Test
  void refusesDevicesAndFifos() throws IOException {
    assertTrue(
        refusedTar(tar -> tar.special("./odahuflow_model/null", TestArchives.CHAR_DEVICE))
            .getMessage()
            .contains("device files are not allowed"));
    assertTrue(
        refusedTar(tar -> tar.special("./odahuflow_model/pipe", TestArchives.FIFO))
            .getMessage()
            .contains("FIFOs are not allowed"));
  }

  @Test
  void refusesZipEntriesWhoseUnixModeIsADeviceOrAFifo() throws IOException {
    for (int mode : new int[] {0020666, 0060660, 0010644, 0140755}) {
      Path zip = temp.resolve("special-" + Integer.toOctalString(mode) + ".zip");
      try (TestArchives.Zip archive = new TestArchives.Zip(zip)) {
        archive.model().special("odahuflow_model/null", mode);
      }
      UnsafeArchiveEntryException refused =
          assertThrows(UnsafeArchiveEntryException.class, () -> ModelArtifact.open(zip));
      assertEquals("odahuflow_model/null", refused.entry());
      assertTrue(
          refused.getMessage().matches(".*(device files|FIFOs) are not allowed|.*unsupported.*"),
          refused.getMessage());
    }
  }

  @Test
  void refusesTooManyEntries() throws IOException {
    Path tgz = temp.resolve("many.zip");
    try (TestArchives.Tar archive = new TestArchives.Tar(tgz, true)) {
      archive.model();
      for (int i = 0; i < 30; i++) {
        archive.file("./odahuflow_model/f" + i, "x");
      }
    }
    ArchiveLimitExceededException e =
        assertThrows(ArchiveLimitExceededException.class, () -> ModelArtifact.open(tgz, SMALL));
    assertTrue(e.getMessage().contains("more than 20 entries"), e.getMessage());
  }

  @Test
  void refusesTooManyBytes() throws IOException {
    Path tar = temp.resolve("big.tar");
    try (TestArchives.Tar archive = new TestArchives.Tar(tar, false)) {
      archive.model().zeros("./odahuflow_model/weights.bin", 5L << 20);
    }
    ArchiveLimitExceededException e =
        assertThrows(ArchiveLimitExceededException.class, () -> ModelArtifact.open(tar, SMALL));
    assertTrue(e.getMessage().contains("expands to more than 4194304 bytes"), e.getMessage());
  }

  @Test
  void refusesACompressionBomb() throws IOException {
    Path tgz = temp.resolve("bomb.zip");
    try (TestArchives.Tar archive = new TestArchives.Tar(tgz, true)) {
      archive.model().zeros("./odahuflow_model/zeros.bin", 3L << 20);
    }
    ExtractionLimits limits = new ExtractionLimits(100, 1L << 30, 100, 1L << 20);
    ArchiveLimitExceededException e =
        assertThrows(ArchiveLimitExceededException.class, () -> ModelArtifact.open(tgz, limits));
    assertTrue(e.getMessage().contains("looks like a compression bomb"), e.getMessage());
    assertTrue(e.getMessage().contains("zeros.bin"), e.getMessage());
  }

  @Test
  void aFifoGivenAsTheArtifactIsCalledWhatItIsNotMissing() throws Exception {
    Path fifo = temp.resolve("model.zip");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
    assertEquals(
        "Model artifact "
            + fifo
            + " is not a regular file or directory (a FIFO, socket or device): give a directory"
            + " or an archive",
        assertThrows(ArtifactException.class, () -> ModelArtifact.open(fifo)).getMessage());
  }

  @Test
  void clearErrorsForWhatIsNotAnArtifact() throws IOException {
    Path text = temp.resolve("notes.zip");
    Files.writeString(text, "just some text");
    assertTrue(
        assertThrows(ArtifactException.class, () -> ModelArtifact.open(text))
            .getMessage()
            .startsWith("Unsupported model artifact"));
    assertTrue(
        assertThrows(ArtifactException.class, () -> ModelArtifact.open(temp.resolve("missing")))
            .getMessage()
            .startsWith("Model artifact not found"));
    Path empty = Files.createDirectory(temp.resolve("empty"));
    assertTrue(
        assertThrows(ManifestException.class, () -> ModelArtifact.open(empty))
            .getMessage()
            .startsWith("No odahuflow.project.yaml"));
  }

  @Test
  void invalidManifestInsideAnArchive() throws IOException {
    Path tgz = temp.resolve("java.zip");
    try (TestArchives.Tar archive = new TestArchives.Tar(tgz, true)) {
      archive.file("./odahuflow.project.yaml", "binaries: {type: java, dependencies: conda}\n");
    }
    assertEquals(
        "Unsupported model binaries type: java; Model section is not set",
        assertThrows(ManifestException.class, () -> ModelArtifact.open(tgz)).getMessage());
  }
}
