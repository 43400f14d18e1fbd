package org.odahu.pack.server.mlflow;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.odahu.pack.gppi.Prediction;
import org.odahu.pack.gppi.PredictionInput;
import org.odahu.pack.server.http.ApiError;
import org.odahu.pack.server.http.ApiRequest;
import org.odahu.pack.server.http.ApiResponse;
import org.odahu.pack.server.http.PredictionCodec;
import org.odahu.pack.server.http.RequestRejectedException;

/**
 * MLflow's {@code /invocations} wire format: JSON ({@code application/json}) or CSV ({@code
 * text/csv}, and {@code application/csv} as MLflow's documentation writes it) in, {@code
 * {"predictions": ...}} out; any other content type, a charset other than UTF-8 or another content
 * type parameter is 415, as MLflow answers.
 */
final class MlflowCodec implements PredictionCodec {
  private static final Map<Integer, String> ERROR_CODES =
      Map.of(
          400, "BAD_REQUEST",
          401, "UNAUTHENTICATED",
          403, "PERMISSION_DENIED",
          404, "ENDPOINT_NOT_FOUND",
          409, "RESOURCE_CONFLICT",
          429, "REQUEST_LIMIT_EXCEEDED",
          500, "INTERNAL_ERROR",
          501, "NOT_IMPLEMENTED",
          503, "TEMPORARILY_UNAVAILABLE",
          504, "DEADLINE_EXCEEDED");

  private static final String MODEL_RAISED =
      "Encountered an unexpected error while evaluating the model. Verify that the serialized input"
          + " Dataframe is compatible with the model for inference.";

  @Override
  public String api() {
    return MlflowScoring.API;
  }

  @Override
  public PredictionInput decode(ApiRequest request) {
    String contentType = request.header("Content-Type");
    String mime = mimeType(contentType);
    return switch (mime) {
      case "application/json" -> JsonInput.parse(request.body(), request.memory());
      case "text/csv", "application/csv" -> CsvInput.parse(request.body(), request.memory());
      default ->
          throw new RequestRejectedException(
              415,
              "This predictor only supports the following content types: Types: ['text/csv',"
                  + " 'application/json']. Got '"
                  + (contentType == null ? "" : contentType)
                  + "'.");
    };
  }

  /** The media type, lower-case, after checking its parameters as MLflow does. */
  private static String mimeType(String contentType) {
    if (contentType == null) {
      return "";
    }
    String[] parts = contentType.split(";", -1);
    Map<String, String> parameters = new LinkedHashMap<>();
    for (int i = 1; i < parts.length; i++) {
      String[] pair = parts[i].strip().split("=", 2);
      if (!pair[0].isEmpty()) {
        parameters.put(pair[0].toLowerCase(Locale.ROOT), pair.length > 1 ? pair[1].strip() : "");
      }
    }
    String charset = parameters.remove("charset");
    if (charset != null && !charset.replace("\"", "").equalsIgnoreCase("utf-8")) {
      throw new RequestRejectedException(415, "The scoring server only supports UTF-8");
    }
    if (!parameters.isEmpty()) {
      throw new RequestRejectedException(
          415,
          "Unrecognized content type parameters: " + String.join(", ", parameters.keySet()) + ".");
    }
    return parts[0].strip().toLowerCase(Locale.ROOT);
  }

  @Override
  public ApiResponse encode(Prediction prediction, ApiRequest request) {
    return ApiResponse.json(200, Predictions.json(prediction));
  }

  @Override
  public ApiResponse encode(ApiError error) {
    // MLflow's scoring server answers a model's exception 400 BAD_REQUEST, with this sentence.
    int status = error.modelRaised() ? 400 : error.status();
    String message = error.modelRaised() ? MODEL_RAISED + " " + error.message() : error.message();
    String code =
        ERROR_CODES.getOrDefault(status, status >= 500 ? "INTERNAL_ERROR" : "BAD_REQUEST");
    byte[] body =
        ("{\"error_code\": \"" + code + "\", \"message\": " + JsonSlices.quote(message) + "}")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return new ApiResponse(status, body, ApiResponse.JSON, error.headers());
  }
}
