package org.odahu.pack.gppi.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.odahu.pack.gppi.BackendListener;
import org.odahu.pack.gppi.testing.CapturedLog;

/** What reaches the log of a worker's output, with a clock the test moves. */
class ModelOutputLogTest {
  private static final OutputLimit LIMIT = new OutputLimit(1_000, 10_000);

  private final CapturedLog captured = CapturedLog.of("org.odahu.pack.gppi.model");
  private final AtomicLong now = new AtomicLong();
  private final List<long[]> drops = new ArrayList<>();
  private final BackendListener listener =
      new BackendListener() {
        @Override
        public void onModelOutputDropped(String worker, long lines, long bytes) {
          drops.add(new long[] {lines, bytes});
        }
      };
  private final ModelOutputLog log = new ModelOutputLog("w1", LIMIT, listener, now::get);

  @AfterEach
  void release() {
    captured.close();
  }

  private void write(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    log.write(bytes, 0, bytes.length);
  }

  @Test
  void linesEndAtNewlinesOrCarriageReturnsAndAreTaggedWithTheWorker() {
    write("one\ntwo\r\nthree\rfour");
    assertEquals(List.of("[w1] one", "[w1] two", "[w1] three"), captured.messages());
    log.close();
    assertEquals("[w1] four", captured.messages().get(3));
    assertEquals(List.of("one", "two", "three", "four"), log.lastLines());
  }

  @Test
  void longLinesAreLoggedInPiecesCutBetweenCharacters() {
    // A three-byte character straddles the piece boundary: it must stay whole.
    String text = "x".repeat(ModelOutputLog.MAX_LINE_BYTES - 1) + "\u20ac" + "tail";
    ModelOutputLog roomy =
        new ModelOutputLog("w1", new OutputLimit(1 << 20, 1 << 20), listener, now::get);
    byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
    roomy.write(bytes, 0, bytes.length);
    List<String> pieces = captured.messages().stream().map(m -> m.substring(5)).toList();
    assertEquals(2, pieces.size());
    assertEquals(ModelOutputLog.MAX_LINE_BYTES - 1, pieces.get(0).length());
    assertEquals("\u20actail", pieces.get(1));
  }

  @Test
  void outputOverTheLimitIsCountedDroppedAndReportedOnceLoggingResumes() {
    String line = "y".repeat(936); // 1,000 bytes with the per-line cost
    for (int i = 0; i < 25; i++) {
      write(line + "\n");
    }
    // The burst holds 10 lines; the other 15 are dropped after one notice.
    List<String> messages = captured.messages();
    assertEquals(11, messages.size(), messages.toString());
    assertTrue(messages.get(10).contains("the model writes more output than the log takes"));
    assertEquals(15, drops.size()); // counted at once, for metrics

    // One second refills 1,000 bytes: enough for a short line, but logging resumes only once
    // half a burst is back, so that a steady flood does not flap between dropping and logging.
    now.addAndGet(1_000_000_000L);
    write("early\n");
    assertEquals(11, captured.messages().size());
    now.addAndGet(5_000_000_000L);
    write("after 1\nafter 2\n");
    messages = captured.messages();
    assertEquals(
        "[w1] dropped 16 lines (14045 bytes) of model output over the log limit", messages.get(11));
    assertEquals(List.of("[w1] after 1", "[w1] after 2"), messages.subList(12, 14));
    assertEquals(16, drops.stream().mapToLong(d -> d[0]).sum());
    assertEquals(14_045, drops.stream().mapToLong(d -> d[1]).sum());
  }

  @Test
  void dropsNotYetReportedAreReportedWhenTheOutputEnds() {
    for (int i = 0; i < 12; i++) {
      write("z".repeat(936) + "\n");
    }
    log.close();
    assertTrue(
        captured.messages().getLast().startsWith("[w1] dropped 2 lines (1872 bytes)"),
        captured.messages().toString());
    assertEquals(2, drops.size());
    // Dropped lines still count as the worker's last words, for crash reports.
    assertEquals(12, log.lastLines().size());
  }

  @Test
  void dropsNoLineFollowsAreReportedOnceTheLogTakesLinesAgain() {
    for (int i = 0; i < 12; i++) {
      write("z".repeat(936) + "\n");
    }
    log.checkDrops();
    assertEquals(11, captured.messages().size(), "nothing refilled yet");
    now.addAndGet(6_000_000_000L);
    log.checkDrops();
    assertTrue(
        captured.messages().getLast().startsWith("[w1] dropped 2 lines (1872 bytes)"),
        captured.messages().toString());
    log.checkDrops();
    log.close();
    assertEquals(12, captured.messages().size(), "reported once");
  }

  @Test
  void aFloodOfTinyLinesIsBoundedToo() {
    for (int i = 0; i < 100_000; i++) {
      write("a\n");
    }
    log.close();
    // 10,000 bytes of burst at 65 bytes per line (1 byte + the per-line cost).
    assertEquals(153, captured.messages().stream().filter(m -> m.equals("[w1] a")).count());
    assertEquals(100_000 - 153, drops.stream().mapToLong(d -> d[0]).sum());
    assertTrue(
        captured.messages().getLast().startsWith("[w1] dropped " + (100_000 - 153) + " lines"));
  }
}
