package org.odahu.pack.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class QuerySecretsTest {
  @Test
  void credentialValuesAreHiddenTheRestKept() {
    String plain = "/api/model/invoke";
    assertSame(plain, QuerySecrets.redact(plain));
    assertEquals(
        "/api/model/invoke?tenant=a&token=****&debug",
        QuerySecrets.redact("/api/model/invoke?tenant=a&token=eyJhbGci.x.y&debug"));
    assertEquals(
        "/x?API_KEY=****&X-Amz-Signature=****&key=****#top",
        QuerySecrets.redact("/x?API_KEY=k1&X-Amz-Signature=abc&key=z#top"));
    assertEquals("/x?a=1&&b=2&", QuerySecrets.redact("/x?a=1&&b=2&"));
    assertEquals("/x?access%5Ftoken=****", QuerySecrets.redact("/x?access%5Ftoken=s3cret"));
    assertEquals("/x?", QuerySecrets.redact("/x?"));
  }
}
