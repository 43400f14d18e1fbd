package org.odahu.pack.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.core.JsonToken;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PredictionRowsTest {

  private static String text(PredictionRows rows, int row, int value) {
    int start = rows.valueStart(row, value);
    return new String(
        rows.json(), start, rows.valueEnd(row, value) - start, StandardCharsets.UTF_8);
  }

  @Test
  void cutsRowsAndTheirValuesInOneReading() {
    PredictionRows rows =
        PredictionRows.of(
            "[ [1, \"a\\\"b\", [2, 3]], 6.5 ,{\"k\": [1]}, [], null]"
                .getBytes(StandardCharsets.UTF_8));

    assertEquals(5, rows.count());
    assertEquals(List.of(3, 1, 1, 0, 1), IntStream.range(0, 5).map(rows::values).boxed().toList());
    assertEquals("1", text(rows, 0, 0));
    assertEquals("\"a\\\"b\"", text(rows, 0, 1));
    assertEquals("[2, 3]", text(rows, 0, 2));
    assertEquals(JsonToken.START_ARRAY, rows.valueToken(0, 2));
    assertEquals("6.5", text(rows, 1, 0));
    assertEquals("{\"k\": [1]}", text(rows, 2, 0));
    assertEquals(JsonToken.VALUE_NULL, rows.valueToken(4, 0));
    assertEquals(
        "[1, \"a\\\"b\", [2, 3]]",
        new String(
            rows.json(), rows.start(0), rows.end(0) - rows.start(0), StandardCharsets.UTF_8));
  }

  @Test
  void keepsStringValuesForFormatsThatWriteThemBare() {
    PredictionRows rows = PredictionRows.of("[[\"x\\u00e9\", 2]]".getBytes(StandardCharsets.UTF_8));

    List<AnswerValues.Value> values = AnswerValues.of(rows, 0);

    assertEquals("xé", values.get(0).text());
    assertNull(values.get(1).text());
  }

  @Test
  void growsPastItsFirstBuffers() {
    StringBuilder json = new StringBuilder("[");
    for (int i = 0; i < 1000; i++) {
      json.append(i == 0 ? "" : ",").append("[").append(i).append(",").append(-i).append("]");
    }
    PredictionRows rows =
        PredictionRows.of(json.append("]").toString().getBytes(StandardCharsets.UTF_8));

    assertEquals(1000, rows.count());
    assertEquals("999", text(rows, 999, 0));
    assertEquals("-999", text(rows, 999, 1));
    assertEquals("-500", text(rows, 500, 1));
  }

  @Test
  void anAnswerThatIsNotAnArrayHasNoRows() {
    assertFalse(PredictionRows.of("{\"a\": 1}".getBytes(StandardCharsets.UTF_8)).isArray());
  }
}
