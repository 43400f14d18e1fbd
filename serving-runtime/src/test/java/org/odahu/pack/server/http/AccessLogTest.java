package org.odahu.pack.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.odahu.pack.gppi.testing.CapturedLog;
import org.odahu.pack.logging.LogFormat;

class AccessLogTest {
  private static final ModelIdentity MODEL = new ModelIdentity("wine", "1.0");
  private static final TraceParent TRACE =
      new TraceParent("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", "01");
  private final Locale defaultLocale = Locale.getDefault();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  @AfterEach
  void restoreLocale() {
    Locale.setDefault(defaultLocale);
  }

  private AccessLog log(LogFormat format, boolean probes) {
    return new AccessLog(new PrintStream(out, true, StandardCharsets.UTF_8), format, probes, MODEL);
  }

  private static RequestLog.Entry entry(String uri, int status, TraceParent trace, boolean probe) {
    return new RequestLog.Entry(
        "/127.0.0.1:40000", "POST", uri, status, 42, 1_234_567, "req-1", trace, probe);
  }

  private List<String> lines(AccessLog log) {
    log.close();
    return out.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void oneLineWithMethodPathStatusBytesDurationAndRequestIdWhateverTheLocale() {
    Locale.setDefault(Locale.GERMANY); // a decimal comma
    AccessLog log = log(LogFormat.TEXT, false);
    log.log(entry("/api/model/invoke?x=1", 200, null, false));
    List<String> lines = lines(log);
    assertEquals(1, lines.size());
    assertTrue(
        lines
            .get(0)
            .matches(
                "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{3})?Z 127\\.0\\.0\\.1:40000"
                    + " \"POST /api/model/invoke\\?x=1\" 200 42 1\\.235ms request_id=req-1"),
        lines.get(0));
  }

  @Test
  void aTracedRequestEndsWithItsTraceAndSpan() {
    AccessLog log = log(LogFormat.TEXT, false);
    log.log(entry("/api/model/invoke", 200, TRACE, false));
    assertTrue(
        lines(log)
            .get(0)
            .endsWith(
                " request_id=req-1 trace_id=4bf92f3577b34da6a3ce929d0e0e4736"
                    + " span_id=00f067aa0ba902b7"));
  }

  @Test
  void successfulProbesAreLeftOutUnlessAskedForFailedOnesNever() {
    AccessLog quiet = log(LogFormat.TEXT, false);
    quiet.log(entry("/healthcheck", 200, null, true));
    quiet.log(entry("/health/ready", 503, null, true));
    quiet.log(entry("/api/model/invoke", 200, null, false));
    List<String> lines = lines(quiet);
    assertEquals(2, lines.size(), lines.toString());
    assertTrue(lines.get(0).contains("\"POST /health/ready\" 503"), lines.get(0));
    assertTrue(lines.get(1).contains("\"POST /api/model/invoke\" 200"), lines.get(1));

    out.reset();
    AccessLog all = log(LogFormat.TEXT, true);
    all.log(entry("/healthcheck", 200, null, true));
    assertEquals(1, lines(all).size());
  }

  @Test
  void jsonLinesHaveEveryFieldAsItsOwnValue() throws Exception {
    AccessLog log = log(LogFormat.JSON, false);
    log.log(entry("/api/model/invoke?x=\\x22", 500, TRACE, false));
    log.log(entry("/api/model/invoke", 200, null, false));
    List<String> lines = lines(log);
    assertEquals(2, lines.size());
    JsonNode line = new ObjectMapper().readTree(lines.get(0));
    assertEquals("INFO", line.get("level").asText());
    assertEquals("access", line.get("logger").asText());
    assertEquals("POST /api/model/invoke?x=\\x22 500", line.get("message").asText());
    assertEquals("127.0.0.1:40000", line.get("client").asText());
    assertEquals("POST", line.get("method").asText());
    assertEquals("/api/model/invoke?x=\\x22", line.get("uri").asText());
    assertEquals(500, line.get("status").asInt());
    assertEquals(42, line.get("bytes").asLong());
    assertEquals(1.235, line.get("duration_ms").asDouble(), 1e-9);
    assertEquals("wine", line.get("model_name").asText());
    assertEquals("1.0", line.get("model_version").asText());
    assertEquals("req-1", line.get("request_id").asText());
    assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", line.get("trace_id").asText());
    assertEquals("00f067aa0ba902b7", line.get("span_id").asText());
    assertFalse(new ObjectMapper().readTree(lines.get(1)).has("trace_id"));
  }

  /**
   * Lines stdout refuses (a full disk: /dev/full) are counted and reported as dropped, batch by
   * batch: once stdout takes lines again, they are written and no longer counted.
   */
  @Test
  void linesStdoutRefusesAreCountedAndReported() throws Exception {
    AtomicBoolean diskFull = new AtomicBoolean(true);
    try (CapturedLog logged = CapturedLog.of(AccessLog.class.getName());
        FileOutputStream devFull = new FileOutputStream("/dev/full")) {
      OutputStream stdout =
          new OutputStream() {
            @Override
            public void write(int b) throws IOException {
              write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
              (diskFull.get() ? devFull : out).write(b, off, len);
            }
          };
      AccessLog log = new AccessLog(stdout, LogFormat.TEXT, false, MODEL);
      log.log(entry("/lost", 200, null, false));
      log.log(entry("/lost", 200, null, false));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (log.dropped() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertEquals(2, log.dropped());
      diskFull.set(false);
      log.log(entry("/written", 200, null, false));
      List<String> lines = lines(log);
      assertEquals(1, lines.size(), lines.toString());
      assertTrue(lines.get(0).contains("/written"), lines.get(0));
      assertEquals(2, log.dropped());
      String first = logged.messages().get(0);
      assertTrue(
          first.matches(
              "Dropped [12] access-log line\\(s\\) \\([12] in all\\): writing to stdout failed:"
                  + " No space left on device"),
          first);
      String last = logged.messages().get(logged.messages().size() - 1);
      assertTrue(last.startsWith("Dropped 2 access-log line(s) in all"), last);
    }
  }

  /**
   * When stdout does not keep up, lines beyond the buffer are dropped, but not silently: counted,
   * reported in the server log at once (then at most once a minute) and in all at close.
   */
  @Test
  void droppedLinesAreCountedAndReportedNotLostSilently() throws Exception {
    CountDownLatch slowConsole = new CountDownLatch(1);
    OutputStream stalled =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            try {
              slowConsole.await();
            } catch (InterruptedException e) {
              throw new IOException(e);
            }
          }
        };
    try (CapturedLog logged = CapturedLog.of(AccessLog.class.getName())) {
      AccessLog log =
          new AccessLog(
              new PrintStream(stalled, true, StandardCharsets.UTF_8), LogFormat.TEXT, false, MODEL);
      for (int i = 0; i < 40_000; i++) {
        log.log(entry("/api/model/invoke", 200, null, false));
      }
      long dropped = log.dropped();
      assertTrue(dropped > 5_000, "dropped " + dropped); // 16,384 queued, a batch being written
      assertEquals(1, logged.messages().size(), "reported at once, then once a minute at most");
      assertEquals(logged.messages(), logged.messagesAtLeast(Level.WARNING));
      String first = logged.messages().get(0);
      assertTrue(first.startsWith("Dropped 1 access-log line(s) (1 in all)"), first);

      slowConsole.countDown();
      log.close();
      assertEquals(2, logged.messages().size());
      String last = logged.messages().get(1);
      assertTrue(last.startsWith("Dropped " + dropped + " access-log line(s) in all"), last);
    } finally {
      slowConsole.countDown();
    }
  }
}
