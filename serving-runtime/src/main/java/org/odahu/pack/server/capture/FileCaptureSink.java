package org.odahu.pack.server.capture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Predicate;
import org.odahu.pack.artifact.files.FileErrors;

/**
 * Records as JSON lines in ODAHU's layout ({@link CaptureLayout}), one file per place and hour.
 * Each line is one whole record, also on a full disk: a write that fails part-way is cut back to
 * its last whole line and the records that did not fit are lost (their receipts say so). A record
 * is stored once its line has been written to the file system (not forced to the device), so it
 * survives the server being killed but not the machine losing power.
 */
public final class FileCaptureSink implements CaptureSink {
  private static final System.Logger LOG = System.getLogger(FileCaptureSink.class.getName());

  /** Files open at once; more (many models in one hour) close them all. */
  private static final int MAX_OPEN_FILES = 256;

  /** Bytes a file buffers before it writes them, without waiting for the batch to end. */
  private static final int WRITE_THRESHOLD = 1 << 16;

  private final Path root;

  /**
   * The one direct buffer every file writes through, a chunk at a time (see {@link CaptureFile}).
   */
  private final ByteBuffer chunk = ByteBuffer.allocateDirect(WRITE_THRESHOLD);

  private final Map<String, CaptureFile> open = new HashMap<>();
  private String currentHour = "";

  /** A full disk is logged once a minute, not once per batch. */
  private static final long WARNING_INTERVAL_NANOS = 60_000_000_000L;

  /** Set once a failure is logged, until a batch is written without one. */
  private boolean warned;

  /** Whether a write failed, and whether one succeeded, since the last {@link #flush}. */
  private boolean failedInBatch;

  private boolean wroteInBatch;

  /** When the last failure was logged. */
  private long lastWarningNanos;

  private long failuresSinceWarning;

  public FileCaptureSink(Path root) {
    this.root = root;
  }

  /**
   * Creates {@code root} and writes, then deletes, a probe file in it.
   *
   * @throws UncheckedIOException saying why, when records could not be written there
   */
  public static void checkWritable(Path root) {
    try {
      try {
        Files.createDirectories(root);
      } catch (IOException e) {
        throw new UncheckedIOException(unusable(root, notCreated(root, e)), e);
      }
      Path probe = Files.createTempFile(root, ".odahu-capture-probe-", ".tmp");
      try {
        Files.write(probe, new byte[] {'\n'});
      } finally {
        Files.delete(probe);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          unusable(root, "the directory does not take new files (" + reason(e) + ")"), e);
    }
  }

  private static String unusable(Path root, String why) {
    return "Cannot write capture records to " + root + " (--capture-dir): " + why;
  }

  /** Why {@code root} could not be made a directory, in words. */
  private static String notCreated(Path root, IOException failure) {
    Path existing = root.toAbsolutePath();
    while (existing.getParent() != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (!Files.isDirectory(existing)) {
      return (existing.equals(root.toAbsolutePath()) ? "it" : existing.toString())
          + (Files.isRegularFile(existing) ? " is a file, not a directory" : " is not a directory");
    }
    return "no such directory, and it cannot be created in "
        + existing
        + " ("
        + reason(failure)
        + ")";
  }

  /**
   * {@link FileErrors#reason}, but a file that is missing right after its directory was made is the
   * file system refusing it ({@code /proc} answers ENOENT).
   */
  private static String reason(IOException failure) {
    return failure instanceof NoSuchFileException
        ? "the file system refuses new files there"
        : FileErrors.reason(failure);
  }

  @Override
  public void accept(CaptureRecord record, Receipt receipt) {
    byte[] line;
    try {
      line = record.toJsonLine();
    } catch (IOException e) {
      receipt.lost(e.toString());
      LOG.log(System.Logger.Level.WARNING, "Cannot serialise a capture record: {0}", e.toString());
      return;
    }
    CaptureFile file;
    try {
      file = fileFor(record);
    } catch (IOException e) {
      receipt.lost(e.toString());
      failed(e);
      return;
    }
    file.append(line, receipt);
    if (file.buffered() >= WRITE_THRESHOLD) {
      String key = key(CaptureLayout.place(root, record));
      CaptureFile now = write(file);
      if (now == null) {
        open.remove(key);
      } else {
        open.put(key, now);
      }
    }
  }

  /**
   * Writes every file's buffered lines and closes the files of past hours. A batch written without
   * a failure after failures is logged as their end: one file that still had room in its last block
   * does not count as the disk taking records again while another's writes fail.
   */
  @Override
  public void flush() {
    closeFiles(hour -> !hour.equals(currentHour));
    if (wroteInBatch && !failedInBatch) {
      recovered();
    }
    wroteInBatch = false;
    failedInBatch = false;
  }

  @Override
  public void close() {
    closeFiles(hour -> true);
  }

  /**
   * Writes a file's buffered lines, to a new file in its place when it was deleted or replaced (the
   * capture directory removed while running); returns the file now open for its place.
   */
  private CaptureFile write(CaptureFile file) {
    if (file.buffered() == 0) {
      return file;
    }
    if (!file.atPath()) {
      file = reopen(file);
      if (file == null) {
        return null;
      }
    }
    IOException failure = file.write();
    if (failure != null) {
      failed(failure);
    } else {
      wroteInBatch = true;
    }
    return file;
  }

  /**
   * Closes a file that is no longer at its path and moves its buffered lines to a new file of its
   * place (creating its directories again); null, the lines lost, when none can be created.
   */
  private CaptureFile reopen(CaptureFile gone) {
    LOG.log(
        System.Logger.Level.WARNING,
        "Capture file {0} was deleted or replaced while open: records go to a new file",
        gone.path());
    CaptureFile fresh;
    try {
      fresh = create(gone.place());
    } catch (IOException e) {
      gone.loseBuffered("cannot write " + gone.path() + ": it was deleted and " + e);
      closeQuietly(gone);
      failed(e);
      return null;
    }
    gone.moveBufferedTo(fresh);
    closeQuietly(gone);
    return fresh;
  }

  /** Closes a file with nothing buffered: no record depends on how that goes. */
  private static void closeQuietly(CaptureFile file) {
    IOException failure = file.close();
    if (failure != null) {
      LOG.log(System.Logger.Level.DEBUG, "Closing {0}: {1}", file.path(), failure.toString());
    }
  }

  /**
   * The open file for a record's place and hour. A file is created fresh the first time a place is
   * used, taking the next free index, so replicas sharing a directory never interleave. The latest
   * hour seen is the current one: files of other hours are closed after each batch.
   */
  private CaptureFile fileFor(CaptureRecord record) throws IOException {
    CaptureLayout.Place place = CaptureLayout.place(root, record);
    if (place.hourPrefix().compareTo(currentHour) > 0) {
      currentHour = place.hourPrefix();
    }
    String key = key(place);
    CaptureFile file = open.get(key);
    if (file == null) {
      if (open.size() >= MAX_OPEN_FILES) {
        closeFiles(hour -> true);
      }
      file = create(place);
      open.put(key, file);
    }
    return file;
  }

  private static String key(CaptureLayout.Place place) {
    return place.directory() + "/" + place.hourPrefix();
  }

  private CaptureFile create(CaptureLayout.Place place) throws IOException {
    Files.createDirectories(place.directory());
    for (int index = 0; ; index++) {
      try {
        return new CaptureFile(place, index, chunk);
      } catch (FileAlreadyExistsException e) {
        // Taken by an earlier run or another replica: try the next index.
      }
    }
  }

  /**
   * Writes every file's buffered lines, then closes and forgets the files whose hour matches: a
   * late record of a closed hour goes to a new file of that hour.
   */
  private void closeFiles(Predicate<String> hourMatches) {
    Iterator<Map.Entry<String, CaptureFile>> files = open.entrySet().iterator();
    while (files.hasNext()) {
      Map.Entry<String, CaptureFile> entry = files.next();
      CaptureFile file = write(entry.getValue());
      if (file == null) {
        files.remove();
      } else if (hourMatches.test(file.hour())) {
        IOException failure = file.close();
        if (failure != null) {
          failed(failure);
        }
        files.remove();
      } else {
        entry.setValue(file);
      }
    }
  }

  /**
   * Logs the first failure, then at most one summary a minute while writes keep failing; the first
   * failure after writes recovered is logged at once.
   */
  private void failed(IOException failure) {
    failedInBatch = true;
    failuresSinceWarning++;
    long now = System.nanoTime();
    if (!warned || now - lastWarningNanos >= WARNING_INTERVAL_NANOS) {
      LOG.log(
          System.Logger.Level.WARNING,
          "Cannot write capture records to {0} ({1} failed write(s)); records that do not fit are"
              + " dropped and counted: {2}",
          root,
          failuresSinceWarning,
          failure.getMessage() == null ? failure.toString() : failure.getMessage());
      warned = true;
      lastWarningNanos = now;
      failuresSinceWarning = 0;
    }
  }

  private void recovered() {
    if (warned) {
      warned = false;
      failuresSinceWarning = 0;
      LOG.log(System.Logger.Level.INFO, "Capture records are written to {0} again", root);
    }
  }
}
