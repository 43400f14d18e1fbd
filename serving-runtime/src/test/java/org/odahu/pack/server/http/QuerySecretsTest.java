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
    assertEquals("/x?bearer=****&Bearer=****", QuerySecrets.redact("/x?bearer=a&Bearer=b"));
    assertEquals("/x?", QuerySecrets.redact("/x?"));
  }

  @Test
  void credentialNamesAreRecognizedPercentDecodedInAnySpellingAndAsPathParameters() {
    assertEquals(
        "/x?api_token=****&accessToken=****&auth_token=****&private_token=****",
        QuerySecrets.redact("/x?api_token=a&accessToken=b&auth_token=c&private_token=d"));
    assertEquals(
        "/x?%74oken=****&tok%65n=****&%54OKEN=****",
        QuerySecrets.redact("/x?%74oken=a&tok%65n=b&%54OKEN=c"));
    assertEquals(
        "/a;token=****/b;jsessionid=****;v=1?db.password=****;x=1#access_token=****&s=2",
        QuerySecrets.redact(
            "/a;token=s1/b;jsessionid=s2;v=1?db.password=s3;x=1#access_token=s4&s=2"));
    assertEquals(
        "/x?X-Goog-Credential=****&secretKey=****&passphrase=****&client_assertion_jwt=****",
        QuerySecrets.redact(
            "/x?X-Goog-Credential=a&secretKey=b&passphrase=c&client_assertion_jwt=d"));
    // Ordinary parameters stay readable.
    String ordinary = "/x?keyword=a&sort_key=b&max_tokens=3&tokenizer=bert&author=c&monkey=d";
    assertEquals(ordinary, QuerySecrets.redact(ordinary));
  }

  @Test
  void theUserInformationOfAnAbsoluteUrlIsDropped() {
    assertEquals(
        "http://127.0.0.1:5000/api/model/info",
        QuerySecrets.redact("http://u:PW@127.0.0.1:5000/api/model/info"));
    // Split at the last @ before the path, as browsers and pip split it.
    assertEquals(
        "https://h.example.com?q=1", QuerySecrets.redact("https://u:a@b c@h.example.com?q=1"));
    assertEquals("http://h/p@q", QuerySecrets.redact("http://h/p@q"));
    assertEquals("/users/a@b.c", QuerySecrets.redact("/users/a@b.c"));
  }
}
