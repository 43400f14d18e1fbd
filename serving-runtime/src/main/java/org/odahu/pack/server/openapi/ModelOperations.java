package org.odahu.pack.server.openapi;

import static org.odahu.pack.server.openapi.Tree.array;
import static org.odahu.pack.server.openapi.Tree.object;
import static org.odahu.pack.server.openapi.Tree.ref;
import static org.odahu.pack.server.openapi.Tree.response;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.odahu.pack.gppi.ModelSchema;
import org.odahu.pack.server.http.ModelIdentity;

/** The operations whose bodies are the model's: prediction in each API, and feedback. */
final class ModelOperations {
  private ModelOperations() {}

  /** {@code POST /api/model/invoke}. */
  static ObjectNode odahuInvoke(ModelSchema schema) {
    return object(
        "tags", array(Operations.ODAHU),
        "operationId", "odahuInvoke",
        "summary", "Predict (ODAHU's model API)",
        "requestBody",
            object(
                "required",
                true,
                "content",
                object(
                    "application/json",
                    object(
                        "schema", ref("OdahuPredictionRequest"),
                        "example", Examples.odahu(schema)))),
        "responses",
            errors(
                object(
                    "200",
                    object(
                        "description",
                        "The prediction",
                        "content",
                        object(
                            "application/json",
                            object(
                                "schema", ref("OdahuPredictionResponse"),
                                "example", Examples.odahuAnswer(schema))))),
                "OdahuError"));
  }

  /** {@code POST /v2/models/{name}[/versions/{version}]/infer}. */
  static ObjectNode infer(ModelIdentity model, ModelSchema schema, String id, boolean version) {
    ObjectNode examples =
        object(
            "perColumn",
            object("summary", "One 1-D input per column", "value", Examples.v2PerColumn(schema)));
    ObjectNode matrix = Examples.v2Matrix(schema);
    if (matrix != null) {
      examples.set("matrix", object("summary", "One 2-D input [rows, columns]", "value", matrix));
    }
    ObjectNode responses =
        errors(
            object("200", response("The output tensors", ref("V2InferenceResponse"))), "V2Error");
    responses.set("404", response("No such model or version", ref("V2Error")));
    responses.set("415", response("Not JSON", ref("V2Error")));
    return object(
        "tags",
        array(Operations.V2),
        "operationId",
        id,
        "summary",
        "Inference (Open Inference Protocol)" + (version ? ", by version" : ""),
        "description",
        "Send one 2-D input [rows, columns] (column names from its \"columns\" parameter or the"
            + " model's schema) or one 1-D input [rows] per column, named like the model's"
            + " columns. Outputs: one [rows] tensor per output column.",
        "parameters",
        pathParameters(model, version),
        "requestBody",
        object(
            "required",
            true,
            "content",
            object(
                "application/json",
                object("schema", ref("V2InferenceRequest"), "examples", examples))),
        "responses",
        responses);
  }

  /** {@code POST /invocations}. */
  static ObjectNode invocations(ModelSchema schema) {
    ObjectNode examples =
        object(
            "dataframe_split", object("value", Examples.mlflowSplit(schema)),
            "dataframe_records", object("value", Examples.mlflowRecords(schema)));
    ObjectNode responses =
        errors(object("200", response("The predictions", ref("MlflowPredictions"))), "MlflowError");
    responses.set("415", response("Neither JSON nor CSV", ref("MlflowError")));
    return object(
        "tags",
        array(Operations.MLFLOW),
        "operationId",
        "mlflowInvocations",
        "summary",
        "Predict (MLflow's scoring protocol)",
        "requestBody",
        object(
            "required",
            true,
            "content",
            object(
                "application/json",
                object("schema", ref("MlflowRequest"), "examples", examples),
                "text/csv",
                object(
                    "schema", object("type", "string", "description", "A header line, then rows"),
                    "example", Examples.csv(schema)))),
        "responses",
        responses);
  }

  /** {@code POST /api/v1/feedback/*}. */
  static ObjectNode feedback() {
    ArrayNode headers = array();
    for (String header : new String[] {"request-id", "model-name", "model-version"}) {
      headers.add(
          object(
              "name",
              header,
              "in",
              "header",
              "required",
              true,
              "schema",
              object("type", "string")));
    }
    return object(
        "tags",
        array(Operations.SERVER),
        "operationId",
        "feedback",
        "summary",
        "ODAHU's feedback collector (any path below /api/v1/feedback)",
        "parameters",
        headers,
        "requestBody",
        object("content", object("application/json", object("schema", object()))),
        "responses",
        object(
            "200", response("Stored", ref("FeedbackResponse")),
            "400", response("Missing or wrong headers", ref("FeedbackError")),
            "502",
                response(
                    "Not stored (no capture directory, or capture full)", ref("FeedbackError"))));
  }

  /** The {@code name} (and {@code version}) path parameters: the served model's only. */
  static ArrayNode pathParameters(ModelIdentity model, boolean version) {
    ArrayNode parameters = array(pathParameter("name", model.name(), "The model's name"));
    if (version) {
      parameters.add(pathParameter("version", model.version(), "The model's version"));
    }
    return parameters;
  }

  private static ObjectNode pathParameter(String name, String value, String description) {
    return object(
        "name",
        name,
        "in",
        "path",
        "required",
        true,
        "description",
        description,
        "schema",
        object("type", "string", "enum", array(value)),
        "example",
        value);
  }

  /** {@code responses} with the prediction errors every API answers, in {@code schemaName}. */
  private static ObjectNode errors(ObjectNode responses, String schemaName) {
    responses.set("400", response("Bad input", ref(schemaName)));
    responses.set("500", response("The model failed", ref(schemaName)));
    responses.set("503", response("Queue full or model not ready", ref(schemaName)));
    responses.set("504", response("Prediction timed out", ref(schemaName)));
    return responses;
  }
}
