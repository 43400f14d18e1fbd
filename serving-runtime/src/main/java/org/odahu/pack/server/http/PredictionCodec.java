package org.odahu.pack.server.http;

import org.odahu.pack.gppi.InvalidInputException;
import org.odahu.pack.gppi.OutputStyle;
import org.odahu.pack.gppi.Prediction;
import org.odahu.pack.gppi.PredictionInput;

/**
 * One prediction API's wire format: decodes a request into the model's input and encodes the
 * model's answer and errors. Codecs are stateless and thread-safe.
 */
public interface PredictionCodec extends ErrorEncoder {
  /**
   * The model input {@code request} carries.
   *
   * @throws InvalidInputException if it carries none the model could be given (a 400)
   */
  PredictionInput decode(ApiRequest request);

  /** The response for the model's answer to {@code request}. */
  ApiResponse encode(Prediction prediction, ApiRequest request);

  /**
   * The API's name, e.g. {@code odahu}: capture records of its requests are tagged with it (their
   * {@code api} field).
   */
  String api();

  /** How the worker writes the model's answer for this API. */
  default OutputStyle style() {
    return OutputStyle.COMPACT;
  }
}
