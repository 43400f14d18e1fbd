package org.odahu.pack.batch;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.odahu.pack.gppi.Prediction;
import org.odahu.pack.server.http.JsonBodies;

/**
 * CSV (written by Jackson's CSV module): a header row, then one record per answer row with one
 * field per value. The header is the answer's column names when there is one per value, else {@code
 * prediction} (one value) or {@code prediction_0, prediction_1, ...}. Strings are written as text,
 * numbers as the model's JSON wrote them, {@code null} as an empty field, nested arrays and objects
 * as their JSON text. A record whose only field is empty is written {@code ""}, as Python's csv
 * writer writes it: a blank line is no record to CSV readers (pandas, ours).
 */
final class CsvWriter implements ResultWriter {
  private static final String QUOTED_EMPTY = "\"\"";
  private final OutputStream out;
  private CsvGenerator csv;
  private int width = -1;

  CsvWriter(OutputStream out) {
    this.out = out;
  }

  @Override
  public void whole(Prediction prediction) throws IOException {
    PredictionRows rows = PredictionRows.of(prediction.predictionJson());
    if (rows.isArray()) {
      rows(rows, prediction.columnsJson());
    } else {
      PredictionRows one = PredictionRows.of(wrap(prediction.predictionJson()));
      rows(one, prediction.columnsJson());
    }
  }

  private static byte[] wrap(byte[] value) {
    byte[] array = new byte[value.length + 2];
    array[0] = '[';
    System.arraycopy(value, 0, array, 1, value.length);
    array[array.length - 1] = ']';
    return array;
  }

  @Override
  public void rows(PredictionRows rows, byte[] columnsJson) throws IOException {
    for (int i = 0; i < rows.count(); i++) {
      List<AnswerValues.Value> values = AnswerValues.of(rows, i);
      if (csv == null) {
        start(values.size(), AnswerValues.names(columnsJson));
      }
      if (values.size() != width) {
        throw new AnswerShapeException(
            "The model answered rows of "
                + width
                + " and of "
                + values.size()
                + " values: CSV needs one width; choose --output-format json or jsonl");
      }
      csv.writeStartArray();
      if (width == 1 && isEmpty(values.get(0))) {
        csv.writeRawValue(QUOTED_EMPTY);
      } else {
        for (AnswerValues.Value value : values) {
          write(value, rows.json());
        }
      }
      csv.writeEndArray();
    }
  }

  private static boolean isEmpty(AnswerValues.Value value) {
    return value.token() == JsonToken.VALUE_NULL
        || (value.token() == JsonToken.VALUE_STRING && value.text().isEmpty());
  }

  private void start(int columns, List<String> names) throws IOException {
    if (columns == 0) {
      throw new AnswerShapeException(
          "The model answered rows of no values: CSV has no way to write them; choose"
              + " --output-format json or jsonl");
    }
    width = columns;
    List<String> header = names != null && names.size() == columns ? names : generated(columns);
    CsvSchema.Builder schema = CsvSchema.builder();
    header.forEach(schema::addColumn);
    csv = new CsvMapper().getFactory().createGenerator(out);
    if (header.equals(List.of(""))) {
      csv.setSchema(schema.build());
      csv.writeStartArray();
      csv.writeRawValue(QUOTED_EMPTY);
      csv.writeEndArray();
    } else {
      csv.setSchema(schema.build().withHeader());
    }
  }

  private static List<String> generated(int columns) {
    if (columns == 1) {
      return List.of("prediction");
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < columns; i++) {
      names.add("prediction_" + i);
    }
    return names;
  }

  private void write(AnswerValues.Value value, byte[] json) throws IOException {
    JsonToken token = value.token();
    String text =
        new String(json, value.start(), value.end() - value.start(), StandardCharsets.UTF_8);
    switch (token) {
      case VALUE_STRING -> csv.writeString(encodable(value.text()));
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> csv.writeNumber(text);
      case VALUE_NULL -> csv.writeNull();
      default -> csv.writeString(text);
    }
  }

  /**
   * {@code text}, refused when it holds a lone surrogate ({@code "\ud800"} from Python): UTF-8
   * cannot hold one, while JSON escapes it.
   */
  private static String encodable(String text) {
    int lone = JsonBodies.loneSurrogate(text, 0);
    if (lone >= 0) {
      throw new AnswerShapeException(
          String.format(
              "The model answered a string with a lone surrogate (\\u%04x), which a CSV file in"
                  + " UTF-8 cannot hold: write JSON or JSON Lines (--output-format json or jsonl),"
                  + " which escape it",
              (int) text.charAt(lone)));
    }
    return text;
  }

  @Override
  public void finish(byte[] columnsJson) throws IOException {
    if (csv != null) {
      csv.flush();
    }
  }
}
