package org.odahu.pack.batch;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.UUID;
import org.odahu.pack.artifact.files.ExitCleanup;

/**
 * A file written under a temporary name in its directory ({@code .results.json.*.partial}) and
 * renamed to its name, atomically, only once complete: a file with its name is always a finished
 * one. An unfinished file is deleted when closed, and by {@code cleanup} if the program is stopped
 * first (or closes {@code cleanup}). One that a killed run left ({@code kill -9}, out of memory) is
 * deleted once a later run has written the same file, unless a process holds its lock (each run
 * locks the file it writes) or it was written to meanwhile.
 */
public final class OutputFile implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(OutputFile.class.getName());

  private final Path target;
  private final Path partial;
  private final FileChannel channel;
  private final OutputStream out;
  private final ExitCleanup.Registration registration;
  private final FileTime started;

  // Held, never read: closing the channel releases it.
  @SuppressWarnings("UnusedVariable")
  private final FileLock lock;

  private boolean committed;

  private OutputFile(Path target, Path partial, ExitCleanup cleanup) throws IOException {
    this.target = target;
    this.partial = partial;
    this.started = FileTime.from(Instant.now());
    // Created as any new file is (umask), not as Files.createTempFile's owner-only files: the
    // result is for whoever reads the output directory. Created and registered in one step, so that
    // a shutdown beginning meanwhile deletes it rather than missing it.
    ExitCleanup.Created<FileChannel> created =
        cleanup.createUndoable(
            partial.toString(),
            () ->
                FileChannel.open(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
            channel ->
                () -> {
                  channel.close();
                  Files.deleteIfExists(partial);
                });
    this.channel = created.value();
    // Held while the file is written: a later run deletes only an unfinished file nobody holds.
    this.lock = lock(channel);
    this.registration = created.registration();
    this.out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
  }

  /** Starts writing what will become {@code target}. */
  public static OutputFile create(Path target, ExitCleanup cleanup) throws IOException {
    Path directory = target.toAbsolutePath().getParent();
    Files.createDirectories(directory);
    Path partial = directory.resolve(partialPrefix(target) + UUID.randomUUID() + PARTIAL);
    return new OutputFile(target, partial, cleanup);
  }

  private static final String PARTIAL = ".partial";

  /** At most 202 bytes: any name the file system takes (255) must leave room for the rest. */
  private static String partialPrefix(Path target) {
    return "." + prefix(target.getFileName().toString(), 200) + ".";
  }

  /**
   * An exclusive lock on {@code channel}'s file, or {@code null} where the file system has none.
   */
  private static FileLock lock(FileChannel channel) {
    try {
      return channel.tryLock();
    } catch (IOException e) {
      return null;
    }
  }

  /** Whether a process holds {@code file}'s lock, or it cannot be told (then it counts as held). */
  private static boolean held(Path file) {
    try (FileChannel other = FileChannel.open(file, StandardOpenOption.WRITE);
        FileLock free = other.tryLock()) {
      return free == null;
    } catch (IOException | OverlappingFileLockException e) {
      return true;
    }
  }

  /**
   * Deletes the partial files of {@code target} that runs killed before they could delete theirs
   * left: those no process holds (a run writing one holds its lock) and none has written to since
   * this run started.
   */
  private void deleteLeftovers() {
    String start = partialPrefix(target);
    int length = start.length() + 36 + PARTIAL.length(); // a UUID's 36 characters
    try (DirectoryStream<Path> files = Files.newDirectoryStream(partial.getParent())) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        if (name.length() == length
            && name.startsWith(start)
            && name.endsWith(PARTIAL)
            && !file.equals(partial)
            && Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).compareTo(started) < 0
            && !held(file)
            && Files.deleteIfExists(file)) {
          LOG.log(
              System.Logger.Level.INFO,
              "Deleted {0}, which an interrupted run left unfinished",
              file);
        }
      }
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "Cannot look for unfinished results: {0}", e.toString());
    }
  }

  /** The longest start of {@code name} that takes at most {@code maxBytes} in UTF-8. */
  static String prefix(String name, int maxBytes) {
    int end = 0;
    int bytes = 0;
    while (end < name.length()) {
      int codePoint = name.codePointAt(end);
      int size = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
      if (bytes + size > maxBytes) {
        break;
      }
      bytes += size;
      end += Character.charCount(codePoint);
    }
    return name.substring(0, end);
  }

  /** The stream to write the content to. */
  public OutputStream stream() {
    return out;
  }

  /**
   * Writes what is buffered to the disk, still under the temporary name: a full disk shows here,
   * before any file of a set is given its name.
   */
  public void flush() throws IOException {
    out.flush();
    channel.force(true);
  }

  /** Writes what is buffered to the disk and gives the file its name. */
  public void commit() throws IOException {
    flush();
    out.close();
    Files.move(
        partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    committed = true;
    registration.close();
    deleteLeftovers();
  }

  /** The file's final name. */
  public Path target() {
    return target;
  }

  /** Deletes the file unless it was committed. */
  @Override
  public void close() throws IOException {
    if (!committed) {
      try (registration) {
        out.close();
      }
    }
  }
}
