package org.odahu.pack.server.odahu;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.odahu.pack.gppi.Prediction;
import org.odahu.pack.gppi.PredictionInput;
import org.odahu.pack.server.http.ApiError;
import org.odahu.pack.server.http.ApiRequest;
import org.odahu.pack.server.http.ApiResponse;
import org.odahu.pack.server.http.PredictionCodec;

/**
 * ODAHU's model API: requests as {@link OdahuRequest} reads them, answers as its server writes them
 * ({@code {"prediction":...,"columns":...}}, compact, like orjson), errors as {@code {"message":
 * "..."}} (like Python's {@code json.dumps}), with honest statuses where ODAHU answered 500.
 */
public final class OdahuCodec implements PredictionCodec {

  @Override
  public String api() {
    return "odahu";
  }

  @Override
  public PredictionInput decode(ApiRequest request) {
    return OdahuRequest.parse(request.body());
  }

  @Override
  public ApiResponse encode(Prediction prediction, ApiRequest request) {
    return ApiResponse.json(200, responseJson(prediction));
  }

  @Override
  public ApiResponse encode(ApiError error) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(error.message().length() + 16);
    ascii(out, "{\"message\": \"");
    ascii(out, pythonEscaped(error.message()));
    ascii(out, "\"}");
    return new ApiResponse(error.status(), out.toByteArray(), ApiResponse.JSON, error.headers());
  }

  /** The answer as ODAHU's server writes it: {@code {"prediction":...,"columns":...}}. */
  public static byte[] responseJson(Prediction prediction) {
    return envelope(
        prediction.odahuPredictionJson(), prediction, "{\"prediction\":", ",\"columns\":");
  }

  /**
   * The answer as ODAHU's batch CLI writes {@code results.json}: {@code {"prediction": ...,
   * "columns": ...}} (with a prediction written in {@code OutputStyle.PYTHON}).
   */
  public static byte[] pythonStyleJson(Prediction prediction) {
    return envelope(
        prediction.predictionJson(), prediction, "{\"prediction\": ", ", \"columns\": ");
  }

  private static byte[] envelope(byte[] values, Prediction prediction, String head, String middle) {
    byte[] columns = prediction.columnsJson();
    ByteArrayOutputStream out = new ByteArrayOutputStream(values.length + columns.length + 32);
    ascii(out, head);
    out.writeBytes(values);
    ascii(out, middle);
    out.writeBytes(columns);
    out.write('}');
    return out.toByteArray();
  }

  /**
   * {@code text} as Python's {@code json.dumps} writes a string (its {@code ensure_ascii}), without
   * the quotes: ASCII only, {@code \\u00e9} with lower-case hex, a surrogate (paired or not) as its
   * own escape.
   */
  static String pythonEscaped(String text) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20 || c > 0x7e) {
            out.append("\\u").append(String.format("%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  private static void ascii(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
  }
}
