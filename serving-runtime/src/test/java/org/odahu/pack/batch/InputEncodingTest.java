package org.odahu.pack.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.files.ExitCleanup;
import org.odahu.pack.server.testing.InMemoryBackend;

/** Every input format is UTF-8: other encodings and invalid bytes are refused, naming where. */
class InputEncodingTest {
  @TempDir Path temp;

  /** Predicts {@code bytes} as {@code format} with an echo model; the result file's text. */
  private String predict(String name, byte[] bytes, FileFormat format, Shard shard)
      throws Exception {
    Path input = Files.write(temp.resolve(name), bytes);
    Path output = temp.resolve("out-" + name).resolve("results.jsonl");
    try (BatchRunner runner =
        new BatchRunner(
            new InMemoryBackend().answer(InMemoryBackend::echo), 1, ExitCleanup.manual())) {
      runner.predict(
          new BatchRequest(input, format, output, FileFormat.JSONL, shard, 1000, ErrorPolicy.FAIL),
          BatchListener.NONE);
    }
    return Files.readString(output);
  }

  private String refusal(String name, byte[] bytes, FileFormat format) {
    return refusal(name, bytes, format, Shard.WHOLE);
  }

  private String refusal(String name, byte[] bytes, FileFormat format, Shard shard) {
    return assertThrows(InvalidBatchInputException.class, () -> predict(name, bytes, format, shard))
        .getMessage();
  }

  private static byte[] bytes(Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object part : parts) {
      if (part instanceof String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
      } else {
        for (int b : (int[]) part) {
          out.write(b);
        }
      }
    }
    return out.toByteArray();
  }

  @Test
  void invalidUtf8InACsvRowIsRefusedNamingTheRow() {
    assertEquals(
        "Row 2 of "
            + temp.resolve("bad.csv")
            + " is not well-formed CSV: Invalid UTF-8 start byte 0xff",
        refusal("bad.csv", bytes("a,b\n1,2\n3,", new int[] {0xff}, "\n4,5\n"), FileFormat.CSV));
  }

  @Test
  void aCsvRowIsNamedRightWhereverTheInvalidByteIs() {
    // Far past the parser's read-ahead, in a quoted value over two lines, a surrogate's encoding.
    StringBuilder rows = new StringBuilder("a,b\n");
    for (int i = 0; i < 20_000; i++) {
      rows.append(i).append(",\"x\ny\"\n");
    }
    byte[] csv = bytes(rows.toString(), "7,\"x\n", new int[] {0xed, 0xa0, 0x80}, "\"\n8,9\n");
    String expected =
        "Row 20001 of "
            + temp.resolve("far.csv")
            + " is not well-formed CSV: Invalid UTF-8: surrogate (lead byte 0xed, second byte 0xa0)";
    assertEquals(expected, refusal("far.csv", csv, FileFormat.CSV));
    assertEquals(expected, refusal("far.csv", csv, FileFormat.CSV, new Shard(1, 2)));
  }

  @Test
  void invalidUtf8InTheCsvHeaderIsRefused() {
    assertEquals(
        "The header row of "
            + temp.resolve("head.csv")
            + " is not well-formed CSV: Invalid UTF-8 start byte 0xff",
        refusal("head.csv", bytes("a,", new int[] {0xff}, "\n1,2\n"), FileFormat.CSV));
  }
}
