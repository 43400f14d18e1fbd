package org.odahu.pack.gppi;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A model's answer to one request, as JSON text written by the worker.
 *
 * @param predictionJson the request's share of the prediction (NaN and infinities are {@code null})
 * @param columnsJson the output column names, a JSON array (or {@code null})
 * @param timings where the time went
 */
// Payloads are handed over, never copied: they are the hot path.
@SuppressWarnings("ArrayRecordComponent")
public record Prediction(byte[] predictionJson, byte[] columnsJson, Timings timings) {

  /**
   * Where the time of one request went.
   *
   * @param queueNanos waiting for a worker
   * @param callNanos the model call, including the transfer to and from the worker
   * @param batchRequests how many requests shared the model call
   * @param batchRows how many rows the model call carried
   */
  public record Timings(long queueNanos, long callNanos, int batchRequests, int batchRows) {}

  /** The prediction as ODAHU's server answers it: {@code {"prediction":...,"columns":...}}. */
  public byte[] toResponseJson() {
    return envelope("{\"prediction\":", ",\"columns\":");
  }

  /**
   * The prediction as ODAHU's batch CLI writes {@code results.json}: {@code {"prediction": ...,
   * "columns": ...}} (use with {@link OutputStyle#PYTHON}).
   */
  public byte[] toPythonStyleJson() {
    return envelope("{\"prediction\": ", ", \"columns\": ");
  }

  private byte[] envelope(String head, String middle) {
    ByteArrayOutputStream out =
        new ByteArrayOutputStream(predictionJson.length + columnsJson.length + 32);
    out.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(predictionJson);
    out.writeBytes(middle.getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(columnsJson);
    out.write('}');
    return out.toByteArray();
  }

  @Override
  public String toString() {
    return new String(toResponseJson(), StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Prediction that
        && java.util.Arrays.equals(predictionJson, that.predictionJson)
        && java.util.Arrays.equals(columnsJson, that.columnsJson)
        && timings.equals(that.timings);
  }

  @Override
  public int hashCode() {
    return 31 * java.util.Arrays.hashCode(predictionJson) + java.util.Arrays.hashCode(columnsJson);
  }
}
