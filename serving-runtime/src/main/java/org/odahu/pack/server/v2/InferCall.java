package org.odahu.pack.server.v2;

import org.odahu.pack.gppi.ModelSchema;
import org.odahu.pack.gppi.Prediction;
import org.odahu.pack.gppi.PredictionInput;
import org.odahu.pack.server.http.ApiError;
import org.odahu.pack.server.http.ApiRequest;
import org.odahu.pack.server.http.ApiResponse;
import org.odahu.pack.server.http.ModelIdentity;
import org.odahu.pack.server.http.PredictionCodec;
import org.odahu.pack.server.http.RequestRejectedException;

/**
 * The codec of one {@code POST /v2/models/{name}[/versions/{version}]/infer}: decodes the inference
 * request into the GPPI matrix and encodes the model's answer as output tensors. One instance per
 * request: what {@link #decode} reads (the request's {@code id}, the outputs it asks for) is what
 * {@link #encode(Prediction, ApiRequest)} answers with.
 */
final class InferCall implements PredictionCodec {
  private final ModelIdentity model;
  private final ModelSchema schema;
  private final Throwable schemaFailure;
  private InferenceRequest parsed;

  /**
   * @param schema the model's schema, or null when it could not be had
   * @param schemaFailure why not, when {@code schema} is null
   */
  InferCall(ModelIdentity model, ModelSchema schema, Throwable schemaFailure) {
    this.model = model;
    this.schema = schema;
    this.schemaFailure = schemaFailure;
  }

  @Override
  public String api() {
    return OpenInference.API;
  }

  @Override
  public PredictionInput decode(ApiRequest request) {
    OpenInference.checkModel(model, request);
    checkContent(request);
    if (schema == null) {
      throw schemaFailure instanceof RuntimeException runtime
          ? runtime
          : new IllegalStateException(schemaFailure);
    }
    // The outputs asked for are checked against the answer (PredictionTensors), not against
    // info(): ODAHU used info() only for its swagger document, and many models' is out of date.
    parsed = InferenceRequestParser.parse(request.body(), request.memory());
    return TensorMatrix.toInput(parsed, schema);
  }

  private static void checkContent(ApiRequest request) {
    if (request.header("Inference-Header-Content-Length") != null) {
      throw new RequestRejectedException(
          400, "The binary tensor data extension is not supported: send tensor data as JSON");
    }
    String type = request.header("Content-Type");
    if (type != null && !OpenInference.isJson(type)) {
      throw new RequestRejectedException(
          415, "Inference requests are JSON: send Content-Type: application/json, not " + type);
    }
  }

  @Override
  public ApiResponse encode(Prediction prediction, ApiRequest request) {
    String id = parsed.id() != null ? parsed.id() : request.requestId();
    return ApiResponse.json(
        200,
        V2Json.inferenceResponse(
            model, id, PredictionTensors.of(prediction, schema, parsed.outputs())));
  }

  @Override
  public ApiResponse encode(ApiError error) {
    return V2Json.ERRORS.encode(error);
  }
}
