package org.odahu.pack.server.capture.s3;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.odahu.pack.server.capture.Capture;
import org.odahu.pack.server.capture.CaptureLayout;
import org.odahu.pack.server.capture.CaptureRecord;
import org.odahu.pack.server.capture.CaptureSink;
import org.odahu.pack.server.capture.CaptureWriter;

/**
 * Records as JSON-lines objects in a bucket, in ODAHU's layout ({@link CaptureLayout}): {@code
 * <prefix>/model_log/<tag>/<model>/<version>/year=/month=/day=/YYYYMMDDHH_<instance>-<n>.json},
 * where the instance part is random per sink, so replicas never overwrite each other's objects.
 *
 * <p>Records of one slot and hour gather in one object, uploaded once it holds {@code objectBytes}
 * or its first record is {@code objectAge} old, or at once on the next flush when a record in it is
 * {@linkplain Receipt#awaited() awaited} (feedback is answered only once stored). A record is
 * stored once the object holding it was put. At most {@code bufferBytes} of records wait for
 * upload; beyond it records are lost at once.
 */
public final class S3CaptureSink implements CaptureSink {
  private static final System.Logger LOG = System.getLogger(S3CaptureSink.class.getName());

  /** Objects being gathered at once; more (many days or hours at once) uploads them all. */
  private static final int MAX_OPEN_OBJECTS = 64;

  private final S3Location location;
  private final long objectBytes;
  private final long objectAgeNanos;
  private final Duration closeWait;
  private final BatchUploader uploads;
  private final LongSupplier nanoTime;
  private final String instance;
  private final Map<String, CaptureBatch> open = new LinkedHashMap<>();
  private final Throttle drops;
  private long objects;

  /** A sink uploading with {@code uploader}, which it closes, as {@code options} say. */
  public S3CaptureSink(S3CaptureOptions options, ObjectUploader uploader) {
    this(options, uploader, System::nanoTime, randomInstance());
  }

  /**
   * @param nanoTime the clock that ages objects
   * @param instance the unique part of this sink's object names
   */
  S3CaptureSink(
      S3CaptureOptions options, ObjectUploader uploader, LongSupplier nanoTime, String instance) {
    this.location = options.location();
    this.objectBytes = options.objectBytes();
    this.objectAgeNanos = options.objectAge().toNanos();
    this.closeWait = options.closeWait();
    this.nanoTime = nanoTime;
    this.instance = instance;
    this.uploads = new BatchUploader(uploader, options.retry(), options.bufferBytes(), nanoTime);
    this.drops = new Throttle(TimeUnit.MINUTES.toNanos(1), nanoTime);
  }

  /**
   * Capture into the bucket of {@code options}, through the AWS SDK, with at most {@code
   * queueCapacity} records waiting for the sink.
   */
  public static Capture capture(S3CaptureOptions options, int queueCapacity) {
    S3ObjectUploader uploader = S3ObjectUploader.create(options);
    Thread.ofPlatform().daemon().name("odahu-capture-warm-up").start(uploader::warmUp);
    S3CaptureSink sink = new S3CaptureSink(options, uploader);
    LOG.log(
        System.Logger.Level.INFO,
        "Capture records go to {0}{1} in objects of up to {2} bytes or {3} s",
        options.location(),
        uploader.endpoint() == null ? "" : " at " + uploader.endpoint(),
        options.objectBytes(),
        options.objectAge().toSeconds());
    return new CaptureWriter(sink, queueCapacity);
  }

  /** 48 random bits in hex: replicas started together still get different object names. */
  private static String randomInstance() {
    byte[] bits = new byte[6];
    new SecureRandom().nextBytes(bits);
    return HexFormat.of().formatHex(bits);
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
    CaptureLayout.Slot slot = CaptureLayout.slot(record);
    String place = slot.directory() + "/" + slot.hour();
    CaptureBatch batch = open.get(place);
    if (batch != null && batch.size() + line.length > objectBytes) {
      seal(place);
      batch = null;
    }
    // The bound counts the memory held: the batch array's growth, not the line's length.
    int growth = CaptureBatch.growth(batch, line.length, objectBytes);
    if (!uploads.reserve(growth)) {
      dropped(receipt, growth);
      return;
    }
    if (batch == null) {
      if (open.size() >= MAX_OPEN_OBJECTS) {
        sealAll();
      }
      batch = new CaptureBatch(key(slot), nanoTime.getAsLong());
      open.put(place, batch);
    }
    batch.append(line, receipt, objectBytes);
    if (batch.size() >= objectBytes) {
      seal(place);
    }
  }

  private String key(CaptureLayout.Slot slot) {
    return location.key(
        slot.directory() + "/" + slot.hour() + "_" + instance + "-" + objects++ + ".json");
  }

  /** {@code receipt}'s record is dropped: holding it would take {@code growth} more bytes. */
  private void dropped(Receipt receipt, int growth) {
    boolean neverFits = growth > uploads.limitBytes();
    receipt.lost(
        neverFits
            ? "the record is larger than the capture buffer"
            : "the capture buffer is full: records wait for object storage");
    long skipped = drops.occurred();
    if (skipped >= 0) {
      String since = skipped > 0 ? " (" + (skipped + 1) + " since the last report)" : "";
      if (neverFits) {
        LOG.log(
            System.Logger.Level.WARNING,
            "Capture records are dropped{0}: one needs {1} bytes of buffer, more than"
                + " --capture-buffer-size {2} holds; raise it to capture records this large",
            since,
            growth,
            uploads.limitBytes());
      } else {
        LOG.log(
            System.Logger.Level.WARNING,
            "Capture records are dropped{0}: {1} bytes already wait for upload to {2}"
                + " (--capture-buffer-size {3})",
            since,
            uploads.heldBytes(),
            location,
            uploads.limitBytes());
      }
    }
  }

  @Override
  public long heldBytes() {
    return uploads.heldBytes();
  }

  /** Uploads the objects that are old enough or hold an awaited record. */
  @Override
  public void flush() {
    long now = nanoTime.getAsLong();
    Iterator<CaptureBatch> batches = open.values().iterator();
    while (batches.hasNext()) {
      CaptureBatch batch = batches.next();
      if (batch.awaited() || now - batch.openedNanos() >= objectAgeNanos) {
        batches.remove();
        uploads.upload(batch);
      }
    }
  }

  /** Often enough that an object is uploaded within a few percent of its age. */
  @Override
  public Duration flushInterval() {
    long millis = TimeUnit.NANOSECONDS.toMillis(objectAgeNanos) / 20;
    return Duration.ofMillis(Math.max(10, Math.min(1000, millis)));
  }

  /** Uploads every object, waiting at most the close wait; what is left is lost. */
  @Override
  public void close() {
    sealAll();
    int lost = uploads.close(closeWait);
    if (lost > 0) {
      LOG.log(
          System.Logger.Level.WARNING,
          "Capture: {0} record(s) were not uploaded to {1} before shutdown",
          lost,
          location);
    }
  }

  private void seal(String place) {
    uploads.upload(open.remove(place));
  }

  private void sealAll() {
    open.values().forEach(uploads::upload);
    open.clear();
  }
}
