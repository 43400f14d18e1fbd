package org.odahu.pack.batch;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.odahu.pack.gppi.Prediction;
import org.odahu.pack.server.odahu.OdahuCodec;

/**
 * ODAHU's answer file, {@code {"prediction": [...], "columns": [...]}} with Python's separators:
 * the chunks' rows joined as Python's {@code json.dump} joins list items, so a file predicted in
 * chunks is the file ODAHU would have written predicting it in one call.
 */
final class OdahuJsonWriter implements ResultWriter {
  private static final byte[] HEAD = ascii("{\"prediction\": [");
  private static final byte[] SEPARATOR = ascii(", ");
  private static final byte[] MIDDLE = ascii("], \"columns\": ");
  private static final byte[] EMPTY = ascii("[]");

  private final OutputStream out;
  private boolean started;
  private boolean whole;

  OdahuJsonWriter(OutputStream out) {
    this.out = out;
  }

  @Override
  public void whole(Prediction prediction) throws IOException {
    out.write(OdahuCodec.pythonStyleJson(prediction));
    whole = true;
  }

  @Override
  public void rows(PredictionRows rows, byte[] columnsJson) throws IOException {
    out.write(started ? SEPARATOR : HEAD);
    started = true;
    int from = rows.start(0);
    out.write(rows.json(), from, rows.end(rows.count() - 1) - from);
  }

  @Override
  public void finish(byte[] columnsJson) throws IOException {
    if (whole) {
      return;
    }
    out.write(started ? MIDDLE : ascii("{\"prediction\": [], \"columns\": "));
    out.write(columnsJson == null ? EMPTY : columnsJson);
    out.write('}');
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
