package org.odahu.pack.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.files.ExitCleanup;
import org.odahu.pack.server.testing.InMemoryBackend;

/** Every input format is UTF-8: other encodings and invalid bytes are refused, naming where. */
class InputEncodingTest {
  private static final Charset UTF_32 = Charset.forName("UTF-32");
  private static final Charset UTF_32LE = Charset.forName("UTF-32LE");

  @TempDir Path temp;

  /** Predicts {@code bytes} as {@code format} with an echo model; the result file's text. */
  private String predict(String name, byte[] bytes, FileFormat format) throws Exception {
    return predict(name, bytes, format, Shard.WHOLE);
  }

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

  @Test
  void utf16AndUtf32FilesAreRefusedUpFrontInEveryFormat() {
    for (FileFormat format : FileFormat.values()) {
      String text =
          switch (format) {
            case CSV -> "a,b\n1,2\n";
            case JSONL -> "[1, 2]\n";
            case JSON -> "{\"data\": [[1]]}";
          };
      Object[][] cases = {
        {"UTF-16", bytes(new int[] {0xff, 0xfe}), StandardCharsets.UTF_16LE}, // iconv -t UTF-16
        {"UTF-16", bytes(), StandardCharsets.UTF_16}, // a big-endian byte order mark first
        {"UTF-16", bytes(), StandardCharsets.UTF_16LE},
        {"UTF-16", bytes(), StandardCharsets.UTF_16BE},
        {"UTF-32", bytes(new int[] {0xff, 0xfe, 0, 0}), UTF_32LE},
        {"UTF-32", bytes(new int[] {0, 0, 0xfe, 0xff}), UTF_32},
        {"UTF-32", bytes(), UTF_32LE},
        {"UTF-32", bytes(), UTF_32},
      };
      for (int i = 0; i < cases.length; i++) {
        byte[] mark = (byte[]) cases[i][1];
        byte[] encoded = text.getBytes((Charset) cases[i][2]);
        byte[] file = Arrays.copyOf(mark, mark.length + encoded.length);
        System.arraycopy(encoded, 0, file, mark.length, encoded.length);
        String name = "wide-" + i + "." + format;
        assertEquals(
            "The input file "
                + temp.resolve(name)
                + " is not UTF-8 (it looks like "
                + cases[i][0]
                + "): save it as UTF-8",
            refusal(name, file, format),
            name);
      }
    }
  }

  @Test
  void aUtf8ByteOrderMarkIsStillAccepted() throws Exception {
    int[] bom = {0xef, 0xbb, 0xbf};
    assertEquals("{\"echo\": 1}\n", predict("bom.csv", bytes(bom, "a\n1\n"), FileFormat.CSV));
    assertEquals("{\"echo\": 1}\n", predict("bom.jsonl", bytes(bom, "[1]\n"), FileFormat.JSONL));
    assertEquals(
        "{\"echo\": 1}\n", predict("bom.json", bytes(bom, "{\"data\": [[1]]}"), FileFormat.JSON));
  }

  @Test
  void zeroBytesAfterTheFirstRowAreStillText() throws Exception {
    assertEquals(
        List.of("{\"echo\": \"\\u0000\"}"),
        predict("zero.csv", bytes("a\n", new int[] {0}, "\n"), FileFormat.CSV).lines().toList());
  }
}
