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
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes capture records as JSON lines in ODAHU's layout. Requests never wait for the disk: {@link
 * #offer} puts a record on a bounded queue and counts it as dropped when the queue is full; one
 * thread writes. {@link #close} drains the queue before returning.
 */
public final class CaptureWriter implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(CaptureWriter.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter FLUENTD_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z").withZone(ZoneOffset.UTC);
  private static final CaptureRecord STOP = new CaptureRecord("", "", "", null, Map.of());

  private final Path root;
  private final BlockingQueue<CaptureRecord> queue;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private final Map<Path, Writer> open = new HashMap<>();
  private final Map<String, Path> files = new HashMap<>();
  private final Thread thread;
  private volatile boolean closed;

  public CaptureWriter(Path root, int capacity) {
    this.root = root;
    this.queue = new ArrayBlockingQueue<>(capacity + 1);
    this.thread = Thread.ofPlatform().daemon().name("odahu-capture").start(this::run);
  }

  /** Queues a record without waiting; returns false (and counts a drop) when it cannot. */
  public boolean offer(CaptureRecord record) {
    if (closed || queue.remainingCapacity() <= 1 || !queue.offer(record)) {
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
    List<CaptureRecord> batch = new ArrayList<>();
    try {
      while (true) {
        CaptureRecord first = queue.take();
        batch.add(first);
        queue.drainTo(batch);
        boolean stop = false;
        for (CaptureRecord record : batch) {
          if (isStop(record)) {
            stop = true;
          } else {
            write(record);
          }
        }
        batch.clear();
        flushAll();
        if (stop) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeAll();
    }
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
   * The open file for a record's hour. A file is created fresh the first time a place is used by
   * this process, taking the next free index, so replicas sharing a directory never interleave.
   */
  private Writer writerFor(CaptureRecord record) throws IOException {
    CaptureLayout.Place place = CaptureLayout.place(root, record);
    String key = place.directory() + "/" + place.hourPrefix();
    Path file = files.get(key);
    if (file == null) {
      Files.createDirectories(place.directory());
      for (int index = 0; ; index++) {
        Path candidate = place.file(index);
        try {
          Files.createFile(candidate);
          file = candidate;
          break;
        } catch (FileAlreadyExistsException e) {
          // Taken by an earlier run or another replica: try the next index.
        }
      }
      files.put(key, file);
      if (files.size() > 256) {
        closeAll(); // an hour or a model changed long ago: let old handles go
        files.clear();
        files.put(key, file);
      }
    }
    Writer writer = open.get(file);
    if (writer == null) {
      writer =
          new BufferedWriter(
              Files.newBufferedWriter(
                  file,
                  StandardCharsets.UTF_8,
                  StandardOpenOption.APPEND,
                  StandardOpenOption.CREATE),
              1 << 16);
      open.put(file, writer);
    }
    return writer;
  }

  private void flushAll() {
    for (Writer writer : open.values()) {
      try {
        writer.flush();
      } catch (IOException e) {
        LOG.log(System.Logger.Level.WARNING, "Cannot flush capture records: {0}", e.getMessage());
      }
    }
  }

  private void closeAll() {
    for (Writer writer : open.values()) {
      try {
        writer.close();
      } catch (IOException e) {
        LOG.log(System.Logger.Level.WARNING, "Cannot close a capture file: {0}", e.getMessage());
      }
    }
    open.clear();
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
