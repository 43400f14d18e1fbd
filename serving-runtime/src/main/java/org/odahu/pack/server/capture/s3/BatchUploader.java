package org.odahu.pack.server.capture.s3;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.odahu.pack.logging.RateLimitedLog;

/**
 * Uploads sealed batches on a few threads, tries failed ones again with {@link Backoff}, and
 * settles each batch once: stored after its object was put, lost after the last attempt or when
 * {@link #close} runs out of time. Holds at most {@code limitBytes} of records: {@link #reserve}
 * refuses beyond it.
 */
final class BatchUploader {
  private static final System.Logger LOG = System.getLogger(BatchUploader.class.getName());

  /** Uploads at once: enough to keep up with feedback's small objects over a slow link. */
  private static final int THREADS = 4;

  /** While closing, retries come at least this often, so the last uploads fit in the wait. */
  private static final Duration CLOSING_RETRY = Duration.ofSeconds(1);

  private static final long MINUTE_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final ObjectUploader uploader;
  private final Backoff backoff;
  private final long limitBytes;
  private final AtomicLong heldBytes = new AtomicLong();
  private final Set<CaptureBatch> pending = ConcurrentHashMap.newKeySet();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition settled = lock.newCondition();
  private final ScheduledThreadPoolExecutor executor;
  private final Throttle failures;
  private final RateLimitedLog giveUps = new RateLimitedLog(LOG, 60, TimeUnit.SECONDS);
  private final LongSupplier nanoTime;
  private volatile boolean closing;

  BatchUploader(ObjectUploader uploader, Backoff backoff, long limitBytes, LongSupplier nanoTime) {
    this.uploader = uploader;
    this.backoff = backoff;
    this.limitBytes = limitBytes;
    this.nanoTime = nanoTime;
    this.failures = new Throttle(MINUTE_NANOS, nanoTime);
    AtomicInteger threads = new AtomicInteger();
    this.executor =
        new ScheduledThreadPoolExecutor(
            THREADS,
            task ->
                Thread.ofPlatform()
                    .daemon()
                    .name("odahu-capture-upload-" + threads.incrementAndGet())
                    .unstarted(task));
    executor.setRemoveOnCancelPolicy(true);
  }

  /** Takes {@code bytes} of the memory bound; false, taking nothing, when they do not fit. */
  boolean reserve(int bytes) {
    long held;
    do {
      held = heldBytes.get();
      if (held + bytes > limitBytes) {
        return false;
      }
    } while (!heldBytes.compareAndSet(held, held + bytes));
    return true;
  }

  /** Bytes of batch arrays not yet settled, open batches included. */
  long heldBytes() {
    return heldBytes.get();
  }

  long limitBytes() {
    return limitBytes;
  }

  /** Starts uploading a sealed batch; its receipts are settled later, on an upload thread. */
  void upload(CaptureBatch batch) {
    pending.add(batch);
    try {
      executor.execute(() -> attempt(batch));
    } catch (RejectedExecutionException e) {
      settle(batch, "capture is closed");
    }
  }

  private void attempt(CaptureBatch batch) {
    if (batch.settled()) {
      return;
    }
    int attempt = batch.nextAttempt(nanoTime.getAsLong());
    try {
      uploader.put(batch.key(), batch.content());
    } catch (ObjectUploadException e) {
      failed(batch, attempt, e.kind(), e.getMessage());
      return;
    } catch (RuntimeException e) {
      // A bug in an uploader must not leave receipts unsettled.
      failed(batch, attempt, e.getClass().getName(), e.toString());
      return;
    }
    settle(batch, null);
    if (failures.reset()) {
      LOG.log(System.Logger.Level.INFO, "Capture records are uploaded again");
    }
  }

  private void failed(CaptureBatch batch, int attempt, String kind, String reason) {
    Optional<Duration> wait = backoff.after(attempt, ThreadLocalRandom.current());
    // Against a store that holds each attempt until it times out, the attempts' own time counts
    // too: none starts later than the back-off's budget after the first (about 2 minutes).
    long elapsed = nanoTime.getAsLong() - batch.firstAttemptNanos();
    if (wait.isEmpty() || elapsed + wait.get().toNanos() > backoff.budget().toNanos()) {
      giveUp(batch, attempt, reason);
      return;
    }
    boolean wasClosing = closing;
    Duration delay = wait.get();
    if (wasClosing && delay.compareTo(CLOSING_RETRY) > 0) {
      delay = CLOSING_RETRY;
    }
    long skipped = failures.occurred(kind);
    if (skipped >= 0) {
      LOG.log(
          System.Logger.Level.WARNING,
          "Cannot upload capture records to {0} (attempt {1} of {2}, next in {3} s{4}): {5}",
          uploader.describe(batch.key()),
          attempt,
          backoff.attempts(),
          String.format(Locale.ROOT, "%.1f", delay.toMillis() / 1000.0),
          skipped > 0 ? "; " + skipped + " more failed attempt(s) since the last report" : "",
          reason);
    }
    try {
      Future<?> retry =
          executor.schedule(() -> attempt(batch), delay.toNanos(), TimeUnit.NANOSECONDS);
      batch.retry(retry);
      if (!wasClosing && closing) {
        retryNow(batch); // close() may have looked at this batch before the retry was set
      }
    } catch (RejectedExecutionException e) {
      settle(batch, "capture closed before a retry: " + reason);
    }
  }

  private void giveUp(CaptureBatch batch, int attempts, String reason) {
    String lost = "not uploaded after " + attempts + " attempt(s): " + reason;
    if (settle(batch, lost)) {
      // Rate-limited; the objects given up after one reported are counted when its period ends.
      giveUps.log(
          System.Logger.Level.ERROR,
          "Dropped "
              + batch.records()
              + " capture record(s): "
              + uploader.describe(batch.key())
              + " "
              + lost);
    }
  }

  /** Runs a batch's pending retry now instead of after its back-off. */
  private void retryNow(CaptureBatch batch) {
    Future<?> retry = batch.retry();
    if (retry != null && retry.cancel(false)) {
      try {
        executor.execute(() -> attempt(batch));
      } catch (RejectedExecutionException e) {
        settle(batch, "capture closed before a retry");
      }
    }
  }

  /** Settles a batch once, releasing its bytes; false when it was settled before. */
  private boolean settle(CaptureBatch batch, String lostReason) {
    if (!batch.settle(lostReason)) {
      return false;
    }
    heldBytes.addAndGet(-batch.charged());
    pending.remove(batch);
    lock.lock();
    try {
      settled.signalAll();
    } finally {
      lock.unlock();
    }
    return true;
  }

  /**
   * Waits at most {@code wait} for every batch to be uploaded, retrying the failed ones at once and
   * then every second; then gives up the rest (their receipts say lost) and closes the uploader.
   *
   * @return the records given up
   */
  int close(Duration wait) {
    closing = true;
    long deadline = System.nanoTime() + wait.toNanos();
    List.copyOf(pending).forEach(this::retryNow);
    lock.lock();
    try {
      long left;
      while (!pending.isEmpty() && (left = deadline - System.nanoTime()) > 0) {
        settled.awaitNanos(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
    executor.shutdownNow();
    int lost = 0;
    for (CaptureBatch batch : List.copyOf(pending)) {
      String reason = "not uploaded within the " + wait.toSeconds() + " s shutdown wait";
      if (settle(batch, reason)) {
        lost += batch.records();
      }
    }
    uploader.close();
    return lost;
  }
}
