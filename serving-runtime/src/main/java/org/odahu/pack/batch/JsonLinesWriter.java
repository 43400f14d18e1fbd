package org.odahu.pack.batch;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.io.OutputStream;
import java.util.HashSet;
import java.util.List;
import org.odahu.pack.gppi.Prediction;

/**
 * One line per answer row: an object of the answer's column names to the row's values when there is
 * one name per value and no name repeats (a 1-D answer with one column gives {@code {"quality":
 * 6.4}}), else the row's JSON as the model answered it.
 */
final class JsonLinesWriter implements ResultWriter {
  private final OutputStream out;
  private byte[][] keys;
  private byte[] keysOf;

  JsonLinesWriter(OutputStream out) {
    this.out = out;
  }

  @Override
  public void whole(Prediction prediction) throws IOException {
    PredictionRows rows = PredictionRows.of(prediction.predictionJson());
    if (rows.isArray()) {
      rows(rows, prediction.columnsJson());
    } else {
      out.write(prediction.predictionJson());
      out.write('\n');
    }
  }

  @Override
  public void rows(PredictionRows rows, byte[] columnsJson) throws IOException {
    byte[][] names = keys(columnsJson);
    byte[] json = rows.json();
    for (int i = 0; i < rows.count(); i++) {
      List<AnswerValues.Value> values = names == null ? null : AnswerValues.of(rows, i);
      if (values == null || values.size() != names.length) {
        out.write(json, rows.start(i), rows.end(i) - rows.start(i));
      } else {
        out.write('{');
        for (int v = 0; v < names.length; v++) {
          out.write(names[v]);
          AnswerValues.Value value = values.get(v);
          out.write(json, value.start(), value.end() - value.start());
          if (v + 1 < names.length) {
            out.write(',');
            out.write(' ');
          } else {
            out.write('}');
          }
        }
      }
      out.write('\n');
    }
  }

  /**
   * {@code "name": } for each column name, or {@code null} when the columns are not names or a name
   * repeats: of an object's duplicate keys, readers keep one value and lose the others.
   */
  private byte[][] keys(byte[] columnsJson) {
    if (!java.util.Arrays.equals(columnsJson, keysOf)) {
      keysOf = columnsJson;
      List<String> names = AnswerValues.names(columnsJson);
      boolean usable =
          names != null && !names.isEmpty() && new HashSet<>(names).size() == names.size();
      keys = usable ? new byte[names.size()][] : null;
      for (int i = 0; keys != null && i < names.size(); i++) {
        byte[] quoted = JsonStringEncoder.getInstance().quoteAsUTF8(names.get(i));
        byte[] key = new byte[quoted.length + 4];
        key[0] = '"';
        System.arraycopy(quoted, 0, key, 1, quoted.length);
        key[quoted.length + 1] = '"';
        key[quoted.length + 2] = ':';
        key[quoted.length + 3] = ' ';
        keys[i] = key;
      }
    }
    return keys;
  }

  @Override
  public void finish(byte[] columnsJson) {}
}
