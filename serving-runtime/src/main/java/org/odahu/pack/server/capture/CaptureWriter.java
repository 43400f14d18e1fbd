package org.odahu.pack.server.capture;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Writes capture records as JSON lines in ODAHU's layout. Requests never wait for the disk: {@link
 * #offer} puts a record on a bounded queue and counts it as dropped when the queue is full; one
 * thread writes. {@link #close} drains the queue before returning. Every offered record is either
 * written or counted as dropped.
 */
public final class CaptureWriter implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(CaptureWriter.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter FLUENTD_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z").withZone(ZoneOffset.UTC);
  private static final CaptureRecord STOP = new CaptureRecord("", "", "", null, Map.of());

  /** Files open at once; more (many models in one hour) close them all. */
  private static final int MAX_OPEN_FILES = 256;

  /** The writer of one place's file, and the hour it is for. */
  private record OpenFile(String hour, Writer writer) {}

  private final Path root;
  private final BlockingQueue<CaptureRecord> queue;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private final Map<String, OpenFile> open = new HashMap<>();
  private final Thread thread;
  private String currentHour = "";
  private volatile boolean closed;

  /** Set by the writer before its last sweep of the queue: later records would stay there. */
  private volatile boolean finished;

  public CaptureWriter(Path root, int capacity) {
    this(root, capacity, Thread.ofPlatform().daemon().name("odahu-capture").factory());
  }

  /** As {@link #CaptureWriter(Path, int)}, with the writer thread made by {@code threads}. */
  CaptureWriter(Path root, int capacity, ThreadFactory threads) {
    this.root = root;
    this.queue = new ArrayBlockingQueue<>(capacity + 1);
    this.thread = threads.newThread(this::run);
    thread.start();
  }

  /** Queues a record without waiting; returns false (and counts a drop) when it cannot. */
  public boolean offer(CaptureRecord record) {
    if (closed || queue.remainingCapacity() <= 1 || !queue.offer(record)) {
      dropped.incrementAndGet();
      return false;
    }
    // Closed between the check and the offer, after the writer's last sweep: take it back.
    if (finished && queue.remove(record)) {
      dropped.incrementAndGet();
      return false;
    }
    return true;
  }

  /** Records waiting to be written. */
  public int depth() {
    return queue.size();
  }

  /** Records dropped because the queue was full or the writer closed. */
  public long dropped() {
    return dropped.get();
  }

  /** Records written to disk. */
  public long written() {
    return written.get();
  }

  private void run() {
    try {
      boolean stop = false;
      while (!stop) {
        List<CaptureRecord> batch = new ArrayList<>();
        batch.add(queue.take());
        queue.drainTo(batch);
        stop = writeAll(batch);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      finished = true;
      List<CaptureRecord> late = new ArrayList<>();
      queue.drainTo(late);
      writeAll(late);
      closeFiles(hour -> true);
    }
  }

  /** Writes {@code batch} and closes the files of past hours; returns whether it held STOP. */
  private boolean writeAll(List<CaptureRecord> batch) {
    boolean stop = false;
    for (CaptureRecord record : batch) {
      if (isStop(record)) {
        stop = true;
      } else {
        write(record);
      }
    }
    flushAll();
    closeFiles(hour -> !hour.equals(currentHour));
    return stop;
  }

  @SuppressWarnings("ReferenceEquality") // the sentinel is compared by identity on purpose
  private static boolean isStop(CaptureRecord record) {
    return record == STOP;
  }

  private void write(CaptureRecord record) {
    Map<String, Object> line = new LinkedHashMap<>(record.fields());
    line.put("time", FLUENTD_TIME.format(record.time()));
    try {
      Writer writer = writerFor(record);
      writer.write(JSON.writeValueAsString(line));
      writer.write('\n');
      written.incrementAndGet();
    } catch (IOException e) {
      dropped.incrementAndGet();
      LOG.log(System.Logger.Level.WARNING, "Cannot write a capture record: {0}", e.getMessage());
    }
  }

  /**
   * The open file for a record's place and hour. A file is created fresh the first time a place is
   * used, taking the next free index, so replicas sharing a directory never interleave. The latest
   * hour seen is the current one: files of other hours are closed after each batch.
   */
  private Writer writerFor(CaptureRecord record) throws IOException {
    CaptureLayout.Place place = CaptureLayout.place(root, record);
    if (place.hourPrefix().compareTo(currentHour) > 0) {
      currentHour = place.hourPrefix();
    }
    String key = place.directory() + "/" + place.hourPrefix();
    OpenFile file = open.get(key);
    if (file == null) {
      if (open.size() >= MAX_OPEN_FILES) {
        closeFiles(hour -> true);
      }
      Writer writer =
          new BufferedWriter(
              Files.newBufferedWriter(
                  createFile(place), StandardCharsets.UTF_8, StandardOpenOption.APPEND),
              1 << 16);
      file = new OpenFile(place.hourPrefix(), writer);
      open.put(key, file);
    }
    return file.writer();
  }

  private static Path createFile(CaptureLayout.Place place) throws IOException {
    Files.createDirectories(place.directory());
    for (int index = 0; ; index++) {
      try {
        return Files.createFile(place.file(index));
      } catch (FileAlreadyExistsException e) {
        // Taken by an earlier run or another replica: try the next index.
      }
    }
  }

  private void flushAll() {
    for (OpenFile file : open.values()) {
      try {
        file.writer().flush();
      } catch (IOException e) {
        LOG.log(System.Logger.Level.WARNING, "Cannot flush capture records: {0}", e.getMessage());
      }
    }
  }

  /**
   * Closes and forgets the files whose hour matches: a late record of a closed hour goes to a new
   * file of that hour.
   */
  private void closeFiles(Predicate<String> hourMatches) {
    var files = open.values().iterator();
    while (files.hasNext()) {
      OpenFile file = files.next();
      if (hourMatches.test(file.hour())) {
        try {
          file.writer().close();
        } catch (IOException e) {
          LOG.log(System.Logger.Level.WARNING, "Cannot close a capture file: {0}", e.getMessage());
        }
        files.remove();
      }
    }
  }

  /** Stops taking records, writes every queued one and closes the files. */
  @Override
  public void close() {
    close(Duration.ofSeconds(30));
  }

  /** As {@link #close()}, waiting at most {@code wait} for the queue to drain. */
  public void close(Duration wait) {
    if (closed) {
      return;
    }
    closed = true;
    try {
      queue.put(STOP);
      thread.join(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
