package org.odahu.pack.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Text as InputStreamReader decodes it, but bytes that are not UTF-8 refused, saying where. */
class Utf8ReaderTest {

  private static Reader reader(byte[] bytes) {
    return new Utf8Reader(new ByteArrayInputStream(bytes), 100);
  }

  private static String readAll(Reader reader, int size) throws IOException {
    StringBuilder text = new StringBuilder();
    char[] buffer = new char[size];
    for (int n; (n = reader.read(buffer, 0, size)) >= 0; ) {
      text.append(buffer, 0, n);
    }
    return text.toString();
  }

  @Test
  void decodesUtf8EvenOneCharAtATime() throws IOException {
    String text = "a,é€😀\n".repeat(20_000);
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    assertEquals(text, readAll(reader(bytes), 1));
    assertEquals(text, readAll(reader(bytes), 4096));
  }

  @Test
  void handsOutTheTextBeforeBadBytesThenNamesThem() throws IOException {
    byte[] bytes = {'a', 'b', (byte) 0xe2, 'x'};
    Reader reader = reader(bytes);
    char[] buffer = new char[10];
    assertEquals(2, reader.read(buffer, 0, 10));
    Utf8Reader.MalformedException e =
        assertThrows(Utf8Reader.MalformedException.class, () -> reader.read(buffer, 0, 10));
    assertEquals(102, e.offset());
    assertEquals("Invalid UTF-8 middle byte 0x78", e.getMessage());
  }

  @Test
  void aCharacterCutShortByTheEndIsRefused() {
    byte[] bytes = {'a', (byte) 0xe2, (byte) 0x82};
    Utf8Reader.MalformedException e =
        assertThrows(Utf8Reader.MalformedException.class, () -> readAll(reader(bytes), 10));
    assertEquals(101, e.offset());
    assertEquals("Invalid UTF-8: the file ends inside a character", e.getMessage());
  }
}
