package org.odahu.pack.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class RequestLogTest {
  @Test
  void controlCharactersQuotesAndBackslashesAreEscaped() {
    String plain = "/api/model/invoke?x=1";
    assertSame(plain, RequestLog.escape(plain));
    assertEquals(
        "/a\\x22 \\x5c\\x0d\\x0aforged 200\\x1b[31m\\xe9\\u20ac",
        RequestLog.escape("/a\" \\\r\nforged 200\u001b[31mé€"));
  }
}
