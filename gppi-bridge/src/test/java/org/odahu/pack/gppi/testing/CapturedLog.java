package org.odahu.pack.gppi.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Collects the formatted messages of one logger while open, instead of printing them. The code logs
 * through {@link System.Logger}, which is backed by {@code java.util.logging} when no other backend
 * is installed.
 */
public final class CapturedLog implements AutoCloseable {
  private final Logger logger;
  private final boolean parentHandlers;
  private final List<String> messages = new ArrayList<>();
  private final List<Level> levels = new ArrayList<>();
  private final Handler handler =
      new Handler() {
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
          add(record.getLevel(), formatter.formatMessage(record));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  private CapturedLog(String name) {
    logger = Logger.getLogger(name);
    parentHandlers = logger.getUseParentHandlers();
    logger.setUseParentHandlers(false);
    logger.addHandler(handler);
  }

  /** Starts capturing what is logged to the logger named {@code name}. */
  public static CapturedLog of(String name) {
    return new CapturedLog(name);
  }

  private synchronized void add(Level level, String message) {
    levels.add(level);
    messages.add(message);
    notifyAll();
  }

  /** Everything logged so far, oldest first. */
  public synchronized List<String> messages() {
    return List.copyOf(messages);
  }

  /** The messages logged so far at {@code level} or above, oldest first. */
  public synchronized List<String> messagesAtLeast(Level level) {
    List<String> atLeast = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      if (levels.get(i).intValue() >= level.intValue()) {
        atLeast.add(messages.get(i));
      }
    }
    return atLeast;
  }

  /** Waits until a message matching {@code wanted} is logged; returns it. */
  public synchronized String await(Predicate<String> wanted, Duration timeout)
      throws InterruptedException {
    long until = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (String message : messages) {
        if (wanted.test(message)) {
          return message;
        }
      }
      long left = until - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("not logged within " + timeout + "; logged: " + summary());
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  private String summary() {
    return messages.stream()
        .map(m -> m.length() > 200 ? m.substring(0, 200) + "..." : m)
        .toList()
        .toString();
  }

  @Override
  public void close() {
    logger.removeHandler(handler);
    logger.setUseParentHandlers(parentHandlers);
  }
}
