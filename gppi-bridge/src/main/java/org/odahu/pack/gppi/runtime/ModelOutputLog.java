package org.odahu.pack.gppi.runtime;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.odahu.pack.gppi.BackendListener;

/**
 * Where one worker's output (the model's prints) goes: split into lines, logged tagged with the
 * worker within an {@link OutputLimit}, the last lines remembered for crash reports. A line longer
 * than {@link #MAX_LINE_BYTES} is logged in pieces of at most that size, cut between characters.
 * Lines over the limit are dropped without being decoded, so a flood costs neither log volume nor
 * memory: the first drop of a flood is announced, and once logging resumes (with the next line, or
 * within {@link #DROP_CHECK_SECONDS} of the flood's end when no line follows, or when the output
 * ends) one line gives the count; {@link BackendListener#onModelOutputDropped} counts every drop at
 * once.
 */
public final class ModelOutputLog extends OutputStream {
  /** The longest piece of a line logged as one record. */
  public static final int MAX_LINE_BYTES = 64 * 1024;

  private static final System.Logger LOG = System.getLogger("org.odahu.pack.gppi.model");
  // What a line costs beyond its bytes, so that a flood of tiny lines is bounded too.
  private static final int LINE_COST = 64;
  private static final int REMEMBERED_LINES = 20;
  static final long DROP_CHECK_SECONDS = 1;

  private final String tag;
  private final OutputLimit limit;
  private final BackendListener listener;
  private final ByteBudget budget;
  private final LastLines lastLines = new LastLines(REMEMBERED_LINES);
  private final byte[] line = new byte[MAX_LINE_BYTES];
  private int length;
  private boolean afterCr;
  private long droppedLines;
  private long droppedBytes;
  private long lineCount;
  private ScheduledFuture<?> dropCheck;

  /** A log for the worker tagged {@code tag}, e.g. {@code worker-1 pid 4242}. */
  public ModelOutputLog(String tag, OutputLimit limit, BackendListener listener) {
    this(tag, limit, listener, System::nanoTime);
  }

  ModelOutputLog(String tag, OutputLimit limit, BackendListener listener, LongSupplier nanoTime) {
    this.tag = tag;
    this.limit = limit;
    this.listener = listener;
    this.budget = new ByteBudget(limit, nanoTime);
  }

  @Override
  public synchronized void write(int b) {
    accept((byte) b);
  }

  @Override
  public synchronized void write(byte[] bytes, int offset, int count) {
    for (int i = offset; i < offset + count; i++) {
      accept(bytes[i]);
    }
  }

  private void accept(byte b) {
    // Lines end as for BufferedReader.readLine(): \n, \r or \r\n.
    if (b == '\n' && afterCr) {
      afterCr = false;
      return;
    }
    afterCr = b == '\r';
    if (b == '\n' || b == '\r') {
      endLine(length);
    } else {
      line[length++] = b;
      if (length == MAX_LINE_BYTES) {
        endLine(characterBoundary(line, length));
      }
    }
  }

  /** Where to cut {@code bytes[0, length)} so that no UTF-8 character is split. */
  static int characterBoundary(byte[] bytes, int length) {
    int start = length - 1;
    while (start > 0 && length - start < 4 && (bytes[start] & 0xC0) == 0x80) {
      start--;
    }
    int lead = bytes[start] & 0xFF;
    int size = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    return length - start >= size || start == 0 ? length : start;
  }

  /** Emits {@code line[0, end)} and keeps the rest for the next line. */
  private void endLine(int end) {
    emit(end);
    System.arraycopy(line, end, line, 0, length - end);
    length -= end;
  }

  private void emit(int end) {
    lastLines.add(line, end);
    lineCount++;
    if (budget.take(end + LINE_COST, droppedLines > 0)) {
      reportDrops();
      LOG.log(
          System.Logger.Level.INFO,
          "[{0}] {1}",
          tag,
          new String(line, 0, end, StandardCharsets.UTF_8));
    } else {
      if (droppedLines == 0) {
        dropCheck =
            DropChecks.EXECUTOR.scheduleWithFixedDelay(
                this::checkDrops, DROP_CHECK_SECONDS, DROP_CHECK_SECONDS, TimeUnit.SECONDS);
        LOG.log(
            System.Logger.Level.WARNING,
            "[{0}] the model writes more output than the log takes ({1}): dropping it until it"
                + " slows down",
            tag,
            limit);
      }
      droppedLines++;
      droppedBytes += end;
      listener.onModelOutputDropped(tag, 1, end); // at once, so that metrics never lag
    }
  }

  /**
   * Logs the count of a flood that no line has followed, once the log takes lines again; stops
   * checking once the count is logged.
   */
  synchronized void checkDrops() {
    if (droppedLines > 0 && budget.take(LINE_COST, true)) {
      reportDrops();
    }
  }

  private void reportDrops() {
    if (dropCheck != null) {
      dropCheck.cancel(false);
      dropCheck = null;
    }
    if (droppedLines > 0) {
      LOG.log(
          System.Logger.Level.WARNING,
          "[{0}] dropped {1} lines ({2} bytes) of model output over the log limit",
          tag,
          Long.toString(droppedLines),
          Long.toString(droppedBytes));
      droppedLines = 0;
      droppedBytes = 0;
    }
  }

  /** Logs an unfinished line now, as {@code print(..., flush=True)} asks. */
  @Override
  public synchronized void flush() {
    if (length > 0) {
      endLine(length);
    }
  }

  /** The output ended: logs an unfinished line and reports drops not reported yet. */
  @Override
  public synchronized void close() {
    flush();
    reportDrops();
  }

  /** One daemon thread for every worker's log, started with the first flood. */
  private static final class DropChecks {
    static final ScheduledThreadPoolExecutor EXECUTOR = executor();

    private static ScheduledThreadPoolExecutor executor() {
      ScheduledThreadPoolExecutor executor =
          new ScheduledThreadPoolExecutor(
              1, Thread.ofPlatform().daemon().name("gppi-output-drops").factory());
      executor.setRemoveOnCancelPolicy(true);
      return executor;
    }
  }

  /** The last lines the worker wrote, logged or not, oldest first. */
  public synchronized List<String> lastLines() {
    return lastLines.toList();
  }

  /** How many lines the worker has written, logged or not. */
  public synchronized long lineCount() {
    return lineCount;
  }
}
