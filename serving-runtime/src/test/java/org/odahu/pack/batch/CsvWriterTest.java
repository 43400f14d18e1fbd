package org.odahu.pack.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The CSV result's bytes, as Python's csv writer (and pandas' to_csv) writes the same rows. */
class CsvWriterTest {

  private static String written(String answer, String columns) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CsvWriter writer = new CsvWriter(out);
    byte[] names = columns == null ? null : columns.getBytes(StandardCharsets.UTF_8);
    writer.rows(PredictionRows.of(answer.getBytes(StandardCharsets.UTF_8)), names);
    writer.finish(names);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void anEmptyValueAloneInItsRowIsQuotedSoTheRowIsNoBlankLine() throws IOException {
    // A blank line is no row to pandas.read_csv or to our own reader: the row would be lost.
    assertEquals("v\n\"\"\n\"\"\n\"\"\n1.5\n", written("[null, \"\", [null], 1.5]", "[\"v\"]"));
  }

  @Test
  void anEmptyNameAloneInTheHeaderIsQuotedToo() throws IOException {
    assertEquals("\"\"\n1\n", written("[1]", "[\"\"]"));
  }

  @Test
  void emptyValuesInRowsOfSeveralValuesAreWrittenAsBefore() throws IOException {
    assertEquals("a,b\n,\n,x\n", written("[[null, \"\"], [\"\", \"x\"]]", "[\"a\", \"b\"]"));
  }

  @Test
  void rowsOfNoValuesAreRefusedWithTheFormatsThatHoldThem() {
    // Jackson's own message ("Schema specified that header line is to be written; ...") said
    // nothing a user could act on.
    AnswerShapeException e = assertThrows(AnswerShapeException.class, () -> written("[[]]", null));
    assertTrue(e.getMessage().contains("rows of no values"), e.getMessage());
    assertTrue(e.getMessage().contains("--output-format json or jsonl"), e.getMessage());
  }

  @Test
  void aLoneSurrogateIsRefusedInWordsAndAPairIsWritten() throws IOException {
    AnswerShapeException e =
        assertThrows(AnswerShapeException.class, () -> written("[\"a\\ud800b\"]", null));
    assertTrue(e.getMessage().contains("a lone surrogate (\\ud800)"), e.getMessage());
    assertTrue(e.getMessage().contains("--output-format json or jsonl"), e.getMessage());
    assertEquals("prediction\n\ud83d\ude00\n", written("[\"\\ud83d\\ude00\"]", null));
  }

  @Test
  void rowsOfDifferentWidthsAreRefused() {
    AnswerShapeException e =
        assertThrows(AnswerShapeException.class, () -> written("[[1, 2], [3]]", null));
    assertTrue(e.getMessage().contains("rows of 2 and of 1 values"), e.getMessage());
  }
}
