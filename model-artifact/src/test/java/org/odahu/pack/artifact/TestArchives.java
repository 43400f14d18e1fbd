package org.odahu.pack.artifact;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

/** Builds small (and hostile) archives for tests. */
final class TestArchives {
  static final String MANIFEST =
      """
      binaries: {type: python, dependencies: conda, conda_path: odahuflow_model/conda.yaml}
      model: {name: m, version: '1.0', workDir: odahuflow_model, entrypoint: entrypoint}
      odahuflowVersion: '1.0'
      """;

  /** A gzip tarball writer; entries added with the helpers below. */
  static final class Tar implements AutoCloseable {
    private final TarArchiveOutputStream tar;

    Tar(Path file, boolean gzip) throws IOException {
      OutputStream out = Files.newOutputStream(file);
      tar = new TarArchiveOutputStream(gzip ? new GZIPOutputStream(out) : out);
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    }

    Tar file(String name, String content) throws IOException {
      return file(name, content.getBytes(StandardCharsets.UTF_8), 0644);
    }

    /** A regular file; an absolute {@code name} is written as it is, as a hostile tool would. */
    Tar file(String name, byte[] content, int mode) throws IOException {
      TarArchiveEntry entry = new TarArchiveEntry(name, true);
      entry.setSize(content.length);
      entry.setMode(mode);
      tar.putArchiveEntry(entry);
      tar.write(content);
      tar.closeArchiveEntry();
      return this;
    }

    /** A file of {@code size} zero bytes, streamed. */
    Tar zeros(String name, long size) throws IOException {
      TarArchiveEntry entry = new TarArchiveEntry(name);
      entry.setSize(size);
      tar.putArchiveEntry(entry);
      byte[] block = new byte[1 << 16];
      for (long done = 0; done < size; done += block.length) {
        tar.write(block, 0, (int) Math.min(block.length, size - done));
      }
      tar.closeArchiveEntry();
      return this;
    }

    Tar link(String name, String target, byte type) throws IOException {
      TarArchiveEntry entry = new TarArchiveEntry(name, type);
      entry.setLinkName(target);
      tar.putArchiveEntry(entry);
      tar.closeArchiveEntry();
      return this;
    }

    Tar special(String name, byte type) throws IOException {
      tar.putArchiveEntry(new TarArchiveEntry(name, type));
      tar.closeArchiveEntry();
      return this;
    }

    Tar model() throws IOException {
      return file("./odahuflow.project.yaml", MANIFEST)
          .file("./odahuflow_model/entrypoint.py", "def init():\n    return 'matrix'\n")
          .file("./odahuflow_model/conda.yaml", "name: m\n");
    }

    @Override
    public void close() throws IOException {
      tar.close();
    }
  }

  /**
   * Turns the plain tarball's entry {@code name} into one of {@code type}, keeping its size and
   * data, as commons-compress would never write it (a hostile tool's header).
   */
  static void retype(Path tarball, String name, byte type) throws IOException {
    byte[] bytes = Files.readAllBytes(tarball);
    byte[] wanted = name.getBytes(StandardCharsets.UTF_8);
    for (int header = 0; header + 512 <= bytes.length; header += 512) {
      if (java.util.Arrays.equals(bytes, header, header + wanted.length, wanted, 0, wanted.length)
          && bytes[header + wanted.length] == 0) {
        bytes[header + 156] = type; // the typeflag
        java.util.Arrays.fill(bytes, header + 148, header + 156, (byte) ' ');
        long sum = 0;
        for (int i = header; i < header + 512; i++) {
          sum += bytes[i] & 0xff;
        }
        byte[] field = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(field, 0, bytes, header + 148, 8);
        Files.write(tarball, bytes);
        return;
      }
    }
    throw new IllegalArgumentException(name + " is not in " + tarball);
  }

  static final byte SYMLINK = TarConstants.LF_SYMLINK;
  static final byte HARDLINK = TarConstants.LF_LINK;
  static final byte CHAR_DEVICE = TarConstants.LF_CHR;
  static final byte BLOCK_DEVICE = TarConstants.LF_BLK;
  static final byte FIFO = TarConstants.LF_FIFO;
  static final byte DIRECTORY = TarConstants.LF_DIR;

  /** A ZIP writer (Deflate); entries added with the helpers below. */
  static final class Zip implements AutoCloseable {
    private final ZipArchiveOutputStream zip;

    Zip(Path file) throws IOException {
      zip = new ZipArchiveOutputStream(file);
    }

    /**
     * Names in {@code encoding} without the UTF-8 flag, as tools writing a code page do; with
     * {@code unicodeFields}, also as Info-ZIP's Unicode path fields, which readers prefer.
     */
    Zip names(String encoding, boolean unicodeFields) {
      zip.setEncoding(encoding);
      zip.setUseLanguageEncodingFlag(false);
      zip.setCreateUnicodeExtraFields(
          unicodeFields
              ? ZipArchiveOutputStream.UnicodeExtraFieldPolicy.ALWAYS
              : ZipArchiveOutputStream.UnicodeExtraFieldPolicy.NEVER);
      return this;
    }

    /** Zip64 records whatever the sizes, as some tools write them. */
    Zip zip64() {
      zip.setUseZip64(org.apache.commons.compress.archivers.zip.Zip64Mode.Always);
      return this;
    }

    Zip file(String name, String content) throws IOException {
      zip.putArchiveEntry(new ZipArchiveEntry(name));
      zip.write(content.getBytes(StandardCharsets.UTF_8));
      zip.closeArchiveEntry();
      return this;
    }

    /** A unix symbolic link: the entry's mode says so and its content is the target. */
    Zip symlink(String name, String target) throws IOException {
      ZipArchiveEntry entry = new ZipArchiveEntry(name);
      entry.setUnixMode(0120777);
      zip.putArchiveEntry(entry);
      zip.write(target.getBytes(StandardCharsets.UTF_8));
      zip.closeArchiveEntry();
      return this;
    }

    /** An entry whose Unix mode gives it another type than a file (a device, a FIFO). */
    Zip special(String name, int mode) throws IOException {
      ZipArchiveEntry entry = new ZipArchiveEntry(name);
      entry.setUnixMode(mode);
      zip.putArchiveEntry(entry);
      zip.closeArchiveEntry();
      return this;
    }

    /** A file of {@code size} zero bytes, streamed. */
    Zip zeros(String name, long size) throws IOException {
      zip.putArchiveEntry(new ZipArchiveEntry(name));
      byte[] block = new byte[1 << 16];
      for (long done = 0; done < size; done += block.length) {
        zip.write(block, 0, (int) Math.min(block.length, size - done));
      }
      zip.closeArchiveEntry();
      return this;
    }

    Zip model() throws IOException {
      return file("odahuflow.project.yaml", MANIFEST)
          .file("odahuflow_model/entrypoint.py", "def init():\n    return 'matrix'\n");
    }

    @Override
    public void close() throws IOException {
      zip.close();
    }
  }

  /** A ZIP with the model plus one extra entry, optionally a unix symlink. */
  static void zip(Path file, String extraName, String extraContent, boolean symlink)
      throws IOException {
    try (Zip zip = new Zip(file)) {
      zip.model();
      if (extraName != null && symlink) {
        zip.symlink(extraName, extraContent);
      } else if (extraName != null) {
        zip.file(extraName, extraContent);
      }
    }
  }

  private TestArchives() {}
}
