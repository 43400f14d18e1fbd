package org.odahu.pack.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Records of {@link ContextLogger} and plain JDK loggers through the JSON format. */
class JsonLogFormatterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Logger logger = Logger.getLogger(JsonLogFormatterTest.class.getName());
  private final List<String> lines = new ArrayList<>();
  private final JsonLogFormatter json = new JsonLogFormatter();
  private final Handler handler =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          lines.add(json.format(record));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void capture() {
    logger.addHandler(handler);
  }

  @AfterEach
  void release() {
    logger.removeHandler(handler);
  }

  private JsonNode only() throws Exception {
    assertEquals(1, lines.size(), lines.toString());
    String line = lines.get(0);
    assertTrue(line.endsWith("\n"), line);
    assertFalse(line.strip().contains("\n"), "one line: " + line);
    return JSON.readTree(line);
  }

  @Test
  void aLineAboutARequestCarriesItsContext() throws Exception {
    LogContext context =
        LogContext.model("wine", "1.0")
            .withRequest("req-1", "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7");
    ContextLogger.of(JsonLogFormatterTest.class)
        .log(
            System.Logger.Level.WARNING,
            context,
            "Request {0}: the model raised {1}\n{2}",
            "req-1",
            "ValueError",
            "Traceback (most recent call last):\n  File \"x.py\"");
    JsonNode line = only();
    assertTrue(
        line.get("time").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
    assertEquals("WARN", line.get("level").asText());
    assertEquals(JsonLogFormatterTest.class.getName(), line.get("logger").asText());
    assertEquals(Thread.currentThread().getName(), line.get("thread").asText());
    assertEquals(
        "Request req-1: the model raised ValueError\nTraceback (most recent call last):\n  File"
            + " \"x.py\"",
        line.get("message").asText());
    assertEquals("wine", line.get("model_name").asText());
    assertEquals("1.0", line.get("model_version").asText());
    assertEquals("req-1", line.get("request_id").asText());
    assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", line.get("trace_id").asText());
    assertEquals("00f067aa0ba902b7", line.get("span_id").asText());
    assertFalse(line.has("exception"));
  }

  @Test
  void anExceptionIsAFieldWithItsStackTrace() throws Exception {
    ContextLogger.of(JsonLogFormatterTest.class)
        .log(
            System.Logger.Level.ERROR,
            LogContext.request("req-2"),
            new IllegalStateException("broken", new ArithmeticException("cause")),
            "Request {0} failed",
            "req-2");
    JsonNode line = only();
    assertEquals("ERROR", line.get("level").asText());
    assertEquals("Request req-2 failed", line.get("message").asText());
    String exception = line.get("exception").asText();
    assertTrue(exception.startsWith("java.lang.IllegalStateException: broken\n\tat "), exception);
    assertTrue(exception.contains("Caused by: java.lang.ArithmeticException: cause"), exception);
    assertFalse(line.has("model_name"), "unknown fields are left out");
  }

  @Test
  void plainJdkRecordsHaveNoContextAndKeepTheirFormatting() throws Exception {
    System.getLogger(JsonLogFormatterTest.class.getName())
        .log(System.Logger.Level.INFO, "Serving {0} on port {1,number,#}", "wine", 5000);
    JsonNode line = only();
    assertEquals("INFO", line.get("level").asText());
    assertEquals("Serving wine on port 5000", line.get("message").asText());
    assertFalse(line.has("request_id"));
  }

  @Test
  void theTextFormatIgnoresTheContextItCannotShow() {
    LogRecord record = new LogRecord(Level.INFO, "Request {0} done");
    record.setParameters(new Object[] {"req-3", LogContext.request("req-3")});
    assertEquals("Request req-3 done", json.formatMessage(record));
  }

  @Test
  void levelsHaveTheNamesLogCollectorsKnow() {
    assertEquals("ERROR", JsonLogFormatter.level(Level.SEVERE));
    assertEquals("WARN", JsonLogFormatter.level(Level.WARNING));
    assertEquals("INFO", JsonLogFormatter.level(Level.INFO));
    assertEquals("DEBUG", JsonLogFormatter.level(Level.FINE));
    assertEquals("TRACE", JsonLogFormatter.level(Level.FINEST));
  }
}
