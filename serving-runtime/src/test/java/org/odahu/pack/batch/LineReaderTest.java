package org.odahu.pack.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Lines up to the bound are handed out whole; a longer one is refused before it fills memory. */
class LineReaderTest {
  private static final int BOUND = 1 << 20;

  private static byte[] lines(int... lengths) {
    int total = 0;
    for (int length : lengths) {
      total += length + 1;
    }
    byte[] bytes = new byte[total];
    Arrays.fill(bytes, (byte) 'x');
    int at = 0;
    for (int length : lengths) {
      at += length;
      bytes[at++] = '\n';
    }
    return bytes;
  }

  @Test
  void linesUpToTheBoundAreReadWhole() throws IOException {
    LineReader reader = new LineReader(new ByteArrayInputStream(lines(10, BOUND - 1, 3)), BOUND);
    for (int length : new int[] {10, BOUND - 1, 3}) {
      assertTrue(reader.next());
      assertEquals(length, reader.end() - reader.start());
    }
    assertFalse(reader.next());
  }

  @Test
  void aLongerLineIsRefused() {
    // A file without line feeds: the reader stops at the bound instead of holding it all.
    LineReader reader = new LineReader(new ByteArrayInputStream(lines(3 * BOUND)), BOUND);
    LineReader.TooLongException e = assertThrows(LineReader.TooLongException.class, reader::next);
    assertEquals("longer than 1 MiB, the most a row may take", e.getMessage());
  }
}
