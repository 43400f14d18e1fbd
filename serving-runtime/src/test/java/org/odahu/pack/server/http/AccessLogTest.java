package org.odahu.pack.server.http;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AccessLogTest {
  private final Locale defaultLocale = Locale.getDefault();

  @AfterEach
  void restoreLocale() {
    Locale.setDefault(defaultLocale);
  }

  @Test
  void oneLineWithMethodPathStatusBytesDurationAndRequestIdWhateverTheLocale() {
    Locale.setDefault(Locale.GERMANY); // a decimal comma
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AccessLog log = new AccessLog(new PrintStream(out, true, StandardCharsets.UTF_8));
    log.log("/127.0.0.1:40000", "POST", "/api/model/invoke?x=1", 200, 42, 1_234_567, "req-1");
    log.close();
    String line = out.toString(StandardCharsets.UTF_8);
    assertTrue(
        line.matches(
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{3})?Z 127\\.0\\.0\\.1:40000"
                + " \"POST /api/model/invoke\\?x=1\" 200 42 1\\.235ms request_id=req-1\\R"),
        line);
  }
}
