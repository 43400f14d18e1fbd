package org.odahu.pack.artifact.archive;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Enumeration;
import java.util.Locale;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.odahu.pack.artifact.files.RawNames;

/**
 * The one reader of tar, gzip-tar and ZIP archives, for model artifacts and images alike. It hands
 * each entry to a handler only after checking what every caller needs: the name is relative and
 * stays inside the archive's root once normalised (absolute names and {@code ../} escapes are
 * refused), and the entries and bytes read stay within the {@link ExtractionBudget} (entry count,
 * total size, compression ratio). What to do with links, devices and FIFOs is the caller's policy;
 * the reader only tells them apart.
 */
public final class ArchiveReader {
  private static final int BUFFER_SIZE = 64 * 1024;

  /** A ZIP symlink's target is its content: more than a path can be is refused unread. */
  private static final int MAX_LINK_TARGET_BYTES = 4096;

  /**
   * Tar's metadata before an entry (its header, a long name, PAX headers), which commons-compress
   * reads whole into memory: more is refused as it is read.
   */
  static final int MAX_TAR_METADATA_BYTES = 1 << 20;

  /** Receives the entries of an archive, in archive order. */
  @FunctionalInterface
  public interface EntryHandler {
    /**
     * One entry.
     *
     * @param entry the checked entry
     * @param content a file's bytes (counted against the budget as they are read); empty for other
     *     entries
     */
    void entry(ArchiveEntry entry, InputStream content) throws IOException;
  }

  private final ExtractionBudget budget;

  /** A reader counting against {@code budget}. */
  public ArchiveReader(ExtractionBudget budget) {
    this.budget = budget;
  }

  /** Reads the archive file {@code archive}, stored as {@code format}. */
  public void read(Path archive, ArchiveFormat format, EntryHandler handler) throws IOException {
    if (format == ArchiveFormat.ZIP) {
      readZip(archive, handler);
      return;
    }
    try (InputStream in = new BufferedInputStream(Files.newInputStream(archive), BUFFER_SIZE)) {
      boolean gzip = format == ArchiveFormat.GZIP_TAR;
      readTar(gzip ? gunzip(in) : in, gzip ? "gzip tarball" : "tar archive", handler);
    }
  }

  /**
   * Reads a tar stream, gzip-compressed or not (told by its first bytes), e.g. an image layer. The
   * stream is not closed.
   */
  public void readTarStream(InputStream in, EntryHandler handler) throws IOException {
    InputStream buffered = new BufferedInputStream(in, BUFFER_SIZE);
    buffered.mark(2);
    int first = buffered.read();
    int second = buffered.read();
    buffered.reset();
    boolean gzip = first == 0x1f && second == 0x8b;
    readTar(gzip ? gunzip(buffered) : buffered, gzip ? "gzip tarball" : "tar archive", handler);
  }

  private static InputStream gunzip(InputStream in) throws IOException {
    return GzipCompressorInputStream.builder()
        .setInputStream(in)
        .setDecompressConcatenated(true)
        .get();
  }

  private void readTar(InputStream in, String format, EntryHandler handler) throws IOException {
    MetadataLimit limited = new MetadataLimit(in);
    TarArchiveInputStream tar = new TarArchiveInputStream(limited);
    ArchiveData data = new ArchiveData(tar, format);
    TarArchiveEntry entry;
    while (true) {
      limited.metadataFollows();
      try {
        entry = tar.getNextEntry();
      } catch (IOException e) {
        throw corrupt(format, e);
      }
      if (entry == null) {
        break;
      }
      limited.entryFollows(entry.getName(), entry.getSize());
      String name = entry.getName();
      budget.countEntry(name);
      ArchiveEntry.Type type = typeOf(entry);
      if (type != ArchiveEntry.Type.FILE
          && type != ArchiveEntry.Type.OTHER
          && entry.getSize() != 0) {
        // The tar reader reads a directory's data as the next headers, and decompresses a
        // link's to skip it: such data has no use but to slip past the limits.
        throw new UnsafeArchiveEntryException(
            name, "a " + type.name().toLowerCase(Locale.ROOT) + " entry that carries data");
      }
      if (type == ArchiveEntry.Type.OTHER) {
        budget.countBytes(name, entry.getSize()); // decompressed to be skipped
      }
      String target = entry.isSymbolicLink() || entry.isLink() ? entry.getLinkName() : null;
      ArchiveEntry checked =
          new ArchiveEntry(
              name,
              normalise(name),
              type,
              target,
              entry.getMode(),
              entry.getSize(),
              entry.getLastModifiedTime());
      if (type == ArchiveEntry.Type.FILE) {
        // A tar header states the exact size: a bomb is refused before it is decompressed, and
        // bytes a handler skips count as well. A sparse file reads as its real size, zeros
        // filled in, from far fewer bytes in the archive.
        budget.countBytes(name, Math.max(entry.getSize(), entry.getRealSize()));
        handler.entry(checked, data);
      } else {
        handler.entry(checked, InputStream.nullInputStream());
      }
    }
  }

  private static ArchiveEntry.Type typeOf(TarArchiveEntry entry) {
    // isFile() is true for several other types: those are told apart first.
    if (entry.isSymbolicLink()) {
      return ArchiveEntry.Type.SYMLINK;
    } else if (entry.isLink()) {
      return ArchiveEntry.Type.HARDLINK;
    } else if (entry.isCharacterDevice() || entry.isBlockDevice()) {
      return ArchiveEntry.Type.DEVICE;
    } else if (entry.isFIFO()) {
      return ArchiveEntry.Type.FIFO;
    } else if (entry.isDirectory()) {
      return ArchiveEntry.Type.DIRECTORY;
    } else if (entry.isFile()) {
      return ArchiveEntry.Type.FILE;
    }
    return ArchiveEntry.Type.OTHER;
  }

  private void readZip(Path archive, EntryHandler handler) throws IOException {
    long records = ZipDirectory.records(archive, budget.maxEntries());
    if (records < 0) {
      throw new CorruptArchiveException(
          budget.source(), "ZIP file", "no central directory at its end", null);
    }
    budget.refuseDirectoryOf(records);
    ZipFile opened;
    try {
      opened = ZipFile.builder().setPath(archive).get();
    } catch (IOException e) {
      throw corrupt("ZIP file", e);
    }
    try (ZipFile zip = opened) {
      Enumeration<ZipArchiveEntry> all = zip.getEntriesInPhysicalOrder();
      while (all.hasMoreElements()) {
        ZipArchiveEntry entry = all.nextElement();
        String name = entry.getName();
        budget.countEntry(name);
        if (entry.getNameSource() != ZipArchiveEntry.NameSource.UNICODE_EXTRA_FIELD
            && !RawNames.isUtf8(entry.getRawName())) {
          // Read with '?' in place of the bytes (a tool's own code page): the image would hold
          // the file under a name the model never asks for.
          throw new UnsafeArchiveEntryException(
              RawNames.escaped(entry.getRawName()),
              "its name is not UTF-8, and an image's file names are: rename it, or write the ZIP"
                  + " with UTF-8 names");
        }
        String path = normalise(name);
        int mode = entry.getUnixMode();
        if (entry.isUnixSymlink()) {
          if (entry.getSize() < 0 || entry.getSize() > MAX_LINK_TARGET_BYTES) {
            throw new UnsafeArchiveEntryException(name, "a link target longer than a path");
          }
          ArchiveEntry link =
              new ArchiveEntry(
                  name,
                  path,
                  ArchiveEntry.Type.SYMLINK,
                  linkTarget(zip, entry),
                  mode,
                  -1,
                  entry.getLastModifiedTime());
          handler.entry(link, InputStream.nullInputStream());
        } else if (entry.isDirectory()) {
          handler.entry(
              new ArchiveEntry(
                  name,
                  path,
                  ArchiveEntry.Type.DIRECTORY,
                  null,
                  mode,
                  -1,
                  entry.getLastModifiedTime()),
              InputStream.nullInputStream());
        } else if (specialType(mode) != null) {
          // A device, FIFO or socket by its Unix mode, refused as a tar's would be; never read
          // as an empty file.
          handler.entry(
              new ArchiveEntry(
                  name, path, specialType(mode), null, mode, -1, entry.getLastModifiedTime()),
              InputStream.nullInputStream());
        } else {
          try (InputStream in = zip.getInputStream(entry)) {
            handler.entry(
                new ArchiveEntry(
                    name,
                    path,
                    ArchiveEntry.Type.FILE,
                    null,
                    mode,
                    entry.getSize(),
                    entry.getLastModifiedTime()),
                new Counted(new ArchiveData(in, "ZIP file"), name));
          }
        }
      }
    }
  }

  /**
   * The type a ZIP entry's Unix mode gives other than a file, a directory or a link: a device, a
   * FIFO or a socket ({@code OTHER}); null for the rest (and for entries without a Unix mode).
   */
  private static ArchiveEntry.Type specialType(int mode) {
    return switch (mode & 0170000) {
      case 0020000, 0060000 -> ArchiveEntry.Type.DEVICE;
      case 0010000 -> ArchiveEntry.Type.FIFO;
      case 0140000 -> ArchiveEntry.Type.OTHER;
      default -> null;
    };
  }

  private static final int MAX_NAME_CHARS = 4096;
  private static final int MAX_PART_BYTES = 255;

  /**
   * The entry's path relative to the archive's root, {@code .} and {@code ..} resolved; refuses
   * absolute names, names that leave the root and names no file system can hold.
   */
  public static String normalise(String name) {
    if (name.startsWith("/") || name.startsWith("\\")) {
      throw new UnsafeArchiveEntryException(name, "absolute paths are not allowed");
    }
    if (name.indexOf('\0') >= 0) {
      throw new UnsafeArchiveEntryException(name, "invalid path: a NUL character");
    }
    // Linux's own bounds (PATH_MAX, NAME_MAX): longer names cannot be written anyway, and checking
    // a name of a million short parts, one file-system call per part, took minutes.
    if (name.length() > MAX_NAME_CHARS) {
      throw new UnsafeArchiveEntryException(
          name.substring(0, 64) + "...", "a name longer than " + MAX_NAME_CHARS + " characters");
    }
    Deque<String> parts = new ArrayDeque<>();
    for (String part : name.split("/", -1)) {
      if (part.getBytes(StandardCharsets.UTF_8).length > MAX_PART_BYTES) {
        throw new UnsafeArchiveEntryException(
            name, "a path element longer than " + MAX_PART_BYTES + " bytes");
      }
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (parts.isEmpty()) {
          throw new UnsafeArchiveEntryException(name, "the path escapes the archive's root");
        }
        parts.removeLast();
      } else {
        parts.addLast(part);
      }
    }
    return String.join("/", parts);
  }

  /** An entry's content: the archive stream stays open for the next entry. */
  private CorruptArchiveException corrupt(String format, IOException e) {
    String detail = e instanceof EOFException ? "it ends early" : e.getMessage();
    return new CorruptArchiveException(budget.source(), format, detail, e);
  }

  /**
   * An entry's bytes, read from the archive: a failure to read them is the archive's (a gzip stream
   * cut short, a corrupt tar), told apart from the handler's own failures to write them. Closing it
   * leaves the archive open for the next entry.
   */
  private final class ArchiveData extends FilterInputStream {
    private final String format;

    ArchiveData(InputStream in, String format) {
      super(in);
      this.format = format;
    }

    @Override
    public int read() {
      try {
        return super.read();
      } catch (IOException e) {
        throw corrupt(format, e);
      }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
      try {
        return super.read(buffer, offset, length);
      } catch (IOException e) {
        throw corrupt(format, e);
      }
    }

    @Override
    public long skip(long count) {
      try {
        return super.skip(count);
      } catch (IOException e) {
        throw corrupt(format, e);
      }
    }

    @Override
    public void close() {
      // The archive stream stays open for the next entry.
    }
  }

  /**
   * A ZIP symlink's target, read no further than a path can be: the declared size may lie, and
   * commons-compress's own getUnixSymlink would inflate all of it into memory.
   */
  private static String linkTarget(ZipFile zip, ZipArchiveEntry entry) throws IOException {
    try (InputStream in = zip.getInputStream(entry)) {
      byte[] target = in.readNBytes(MAX_LINK_TARGET_BYTES + 1);
      if (target.length > MAX_LINK_TARGET_BYTES) {
        throw new UnsafeArchiveEntryException(entry.getName(), "a link target longer than a path");
      }
      return new String(target, StandardCharsets.UTF_8);
    }
  }

  /**
   * Counts the bytes under the tar reader: the metadata before each entry may take {@link
   * #MAX_TAR_METADATA_BYTES} beyond the end of the previous entry's data, which the reader skips.
   */
  private static final class MetadataLimit extends FilterInputStream {
    private long position;
    private long limit = MAX_TAR_METADATA_BYTES;
    private long dataEnd;
    private String previous;

    MetadataLimit(InputStream in) {
      super(in);
    }

    /** An entry's data follows: {@code size} bytes, padded to tar's 512-byte records. */
    void entryFollows(String name, long size) {
      previous = name;
      dataEnd = position + (size + 511) / 512 * 512;
      limit = Long.MAX_VALUE;
    }

    /** The next entry's metadata follows, after what is left of the current entry's data. */
    void metadataFollows() {
      limit = Math.max(position, dataEnd) + MAX_TAR_METADATA_BYTES;
    }

    private void count(long bytes) {
      position += bytes;
      if (position > limit) {
        throw new UnsafeArchiveEntryException(
            previous == null ? "(the first entry)" : "(the entry after " + previous + ")",
            "over " + (MAX_TAR_METADATA_BYTES >> 20) + " MiB of names and headers");
      }
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int count = super.read(buffer, offset, length);
      if (count > 0) {
        count(count);
      }
      return count;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      count(skipped);
      return skipped;
    }
  }

  /**
   * A ZIP file's content, each byte counted against the budget as it is read (a ZIP's declared
   * sizes may lie).
   */
  private final class Counted extends FilterInputStream {
    private final String name;

    Counted(InputStream in, String name) {
      super(in);
      this.name = name;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        budget.countBytes(name, 1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int count = super.read(buffer, offset, length);
      if (count > 0) {
        budget.countBytes(name, count);
      }
      return count;
    }

    @Override
    public long skip(long n) throws IOException {
      // Skipped bytes are decompressed all the same.
      long skipped = super.skip(n);
      budget.countBytes(name, skipped);
      return skipped;
    }
  }
}
