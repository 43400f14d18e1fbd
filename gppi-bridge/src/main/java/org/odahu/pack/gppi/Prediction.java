package org.odahu.pack.gppi;

import java.nio.charset.StandardCharsets;

/**
 * A model's answer to one request, as JSON text written by the worker; each API puts it in its own
 * envelope.
 *
 * @param predictionJson the request's share of the prediction (NaN and infinities are {@code null})
 * @param columnsJson the output column names as the model returned them: a JSON array, or what else
 *     it returned (a string, {@code null}), as ODAHU's server writes it
 * @param timings where the time went
 * @param float32Json for a float32 array, the prediction with each value's own shortest digits, as
 *     ODAHU's server (orjson) wrote it; {@code null} otherwise (see {@link #odahuPredictionJson})
 */
// Payloads are handed over, never copied: they are the hot path.
@SuppressWarnings("ArrayRecordComponent")
public record Prediction(
    byte[] predictionJson, byte[] columnsJson, Timings timings, byte[] float32Json) {

  /** A prediction with no float32 digits of its own. */
  public Prediction(byte[] predictionJson, byte[] columnsJson, Timings timings) {
    this(predictionJson, columnsJson, timings, null);
  }

  /**
   * The prediction as ODAHU's model server wrote it: float32 values in their own shortest digits
   * ({@code 0.1}, as orjson wrote them), where the other APIs, like Python's {@code tolist()}, have
   * the float64 they widen to.
   */
  public byte[] odahuPredictionJson() {
    return float32Json != null ? float32Json : predictionJson;
  }

  /**
   * Where the time of one request went.
   *
   * @param queueNanos waiting for a worker
   * @param callNanos the model call, including the transfer to and from the worker
   * @param batchRequests how many requests shared the model call
   * @param batchRows how many rows the model call carried
   */
  public record Timings(long queueNanos, long callNanos, int batchRequests, int batchRows) {}

  @Override
  public String toString() {
    return "Prediction[prediction="
        + new String(predictionJson, StandardCharsets.UTF_8)
        + ", columns="
        + new String(columnsJson, StandardCharsets.UTF_8)
        + "]";
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
