package org.odahu.pack.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A JSON Lines result's lines: objects only when the column names can be their keys. */
class JsonLinesWriterTest {

  private static String written(String answer, String columns) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    JsonLinesWriter writer = new JsonLinesWriter(out);
    byte[] names = columns.getBytes(StandardCharsets.UTF_8);
    writer.rows(PredictionRows.of(answer.getBytes(StandardCharsets.UTF_8)), names);
    writer.finish(names);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void uniqueColumnNamesAreEachRowsKeys() throws IOException {
    assertEquals(
        "{\"a\": 1, \"b\": 2}\n{\"a\": 3, \"b\": null}\n",
        written("[[1, 2], [3, null]]", "[\"a\", \"b\"]"));
  }

  @Test
  void repeatedColumnNamesGiveArraysNotObjectsWithDuplicateKeys() throws IOException {
    // A reader keeps one value of a duplicate key: the other would be lost.
    assertEquals("[1, 2]\n[3,null]\n", written("[[1, 2], [3,null]]", "[\"a\", \"a\"]"));
  }
}
