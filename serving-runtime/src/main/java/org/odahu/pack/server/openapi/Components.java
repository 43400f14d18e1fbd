package org.odahu.pack.server.openapi;

import static org.odahu.pack.server.openapi.Tree.array;
import static org.odahu.pack.server.openapi.Tree.object;
import static org.odahu.pack.server.openapi.Tree.ref;
import static org.odahu.pack.server.openapi.Tree.string;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.odahu.pack.gppi.ModelSchema;
import org.odahu.pack.server.v2.TensorType;

/** The schemas of every API's bodies, the model's own rows among them. */
final class Components {
  private Components() {}

  /** The {@code components.schemas} of the document. */
  static ObjectNode schemas(ModelSchema model) {
    ObjectNode schemas = object();
    schemas.set(
        "ModelInputRow",
        ModelSchemaJson.row(model.input(), "One row of the model's input, by column (its info())"));
    schemas.set(
        "ModelOutputRow",
        ModelSchemaJson.row(model.output(), "One row of the model's output, by column"));
    odahu(schemas);
    openInference(schemas);
    mlflow(schemas);
    return schemas;
  }

  private static void odahu(ObjectNode schemas) {
    ObjectNode anyArray = object("type", "array", "items", object());
    schemas.set(
        "OdahuPredictionRequest",
        object(
            "type", "object",
            "required", array("data"),
            "properties",
                object(
                    "columns", names("Column names; the model reorders the values by them"),
                    "data",
                        object(
                            "type",
                            "array",
                            "minItems",
                            1,
                            "description",
                            "The matrix: one array of values per row",
                            "items",
                            anyArray))));
    schemas.set(
        "OdahuPredictionResponse",
        object(
            "type", "object",
            "required", array("prediction", "columns"),
            "properties",
                object(
                    "prediction", object("type", "array", "description", "The model's answer"),
                    "columns", names("The output column names"))));
    schemas.set("OdahuError", errorObject("message"));
    schemas.set(
        "ModelInfoDocument",
        object("type", "object", "description", "ODAHU's Swagger 2.0 document of the model"));
    schemas.set("HealthCheck", object("type", "object", "properties", object("status", bool())));
    schemas.set(
        "Readiness",
        object(
            "type", "object",
            "required", array("ready"),
            "properties",
                object(
                    "ready", bool(),
                    "workers",
                        object(
                            "type",
                            "object",
                            "properties",
                            object("alive", integer(), "configured", integer())),
                    "message", string("Why the model is not ready"))));
    schemas.set(
        "FeedbackResponse",
        object(
            "type",
            "object",
            "properties",
            object(
                "requestID", object("type", "string"),
                "modelVersion", object("type", "string"),
                "modelName", object("type", "string"),
                "payload", object("type", "object", "properties", object("json", object())))));
    schemas.set("FeedbackError", errorObject("error"));
  }

  private static void openInference(ObjectNode schemas) {
    ArrayNode datatypes = array();
    for (TensorType type : TensorType.values()) {
      datatypes.add(type.name());
    }
    ObjectNode shape = object("type", "array", "items", integer());
    schemas.set("V2Datatype", object("type", "string", "enum", datatypes));
    schemas.set(
        "V2TensorData",
        object(
            "type", "array",
            "description", "Elements in row-major order, flat or nested as the shape",
            "items",
                object(
                    "anyOf",
                    array(
                        ref("V2TensorData"),
                        object("type", "number"),
                        object("type", "string"),
                        object("type", "boolean"),
                        object("type", "null")))));
    schemas.set(
        "V2Parameters",
        object(
            "type",
            "object",
            "description",
            "Parameters; \"columns\" (an array of names, or one string of comma-separated"
                + " names) names the columns of a 2-D input",
            "properties",
            object("columns", object("oneOf", array(names("Column names"), string("a,b,c"))))));
    schemas.set(
        "V2RequestInput",
        tensor("A 2-D tensor [rows, columns], or a 1-D tensor [rows] named like a model column"));
    schemas.set(
        "V2RequestOutput",
        object(
            "type", "object",
            "required", array("name"),
            "properties",
                object("name", object("type", "string"), "parameters", ref("V2Parameters"))));
    schemas.set(
        "V2InferenceRequest",
        object(
            "type", "object",
            "required", array("inputs"),
            "properties",
                object(
                    "id", object("type", "string"),
                    "parameters", ref("V2Parameters"),
                    "inputs",
                        object("type", "array", "minItems", 1, "items", ref("V2RequestInput")),
                    "outputs", object("type", "array", "items", ref("V2RequestOutput")))));
    schemas.set("V2ResponseOutput", tensor("One output column [rows], or the whole answer"));
    schemas.set(
        "V2InferenceResponse",
        object(
            "type", "object",
            "required", array("model_name", "outputs"),
            "properties",
                object(
                    "model_name", object("type", "string"),
                    "model_version", object("type", "string"),
                    "id", object("type", "string"),
                    "parameters", ref("V2Parameters"),
                    "outputs", object("type", "array", "items", ref("V2ResponseOutput")))));
    ObjectNode metadataTensor =
        object(
            "type", "object",
            "required", array("name", "datatype", "shape"),
            "properties",
                object(
                    "name",
                    object("type", "string"),
                    "datatype",
                    ref("V2Datatype"),
                    "shape",
                    shape));
    schemas.set("V2MetadataTensor", metadataTensor);
    ObjectNode tensors = object("type", "array", "items", ref("V2MetadataTensor"));
    schemas.set(
        "V2ModelMetadata",
        object(
            "type", "object",
            "required", array("name", "platform"),
            "properties",
                object(
                    "name", object("type", "string"),
                    "versions", names("The model's versions"),
                    "platform", object("type", "string"),
                    "inputs", tensors,
                    "outputs", tensors)));
    schemas.set(
        "V2ServerMetadata",
        object(
            "type", "object",
            "required", array("name", "version", "extensions"),
            "properties",
                object(
                    "name", object("type", "string"),
                    "version", object("type", "string"),
                    "extensions", names("Protocol extensions"))));
    schemas.set("V2ServerLive", object("type", "object", "properties", object("live", bool())));
    schemas.set("V2ServerReady", object("type", "object", "properties", object("ready", bool())));
    schemas.set(
        "V2ModelReady",
        object(
            "type",
            "object",
            "properties",
            object("name", object("type", "string"), "ready", bool())));
    schemas.set("V2Error", errorObject("error"));
  }

  private static void mlflow(ObjectNode schemas) {
    ObjectNode params = object("type", "object", "description", "Accepted; GPPI models take none");
    ObjectNode rows = object("type", "array", "items", object("type", "array", "items", object()));
    schemas.set(
        "MlflowDataframeSplit",
        format(
            "dataframe_split",
            object(
                "type", "object",
                "required", array("data"),
                "properties",
                    object(
                        "columns", names("Column names"),
                        "data", rows,
                        "index", object("type", "array", "description", "Ignored"))),
            params));
    schemas.set(
        "MlflowDataframeRecords",
        format(
            "dataframe_records", object("type", "array", "items", ref("ModelInputRow")), params));
    ObjectNode tensors =
        object(
            "type", "array",
            "description", "Records, rows, or one value per row",
            "items",
                object("anyOf", array(ref("ModelInputRow"), object("type", "array"), scalar())));
    schemas.set("MlflowInstances", format("instances", tensors, params));
    schemas.set(
        "MlflowInputs",
        format(
            "inputs",
            object(
                "oneOf",
                array(
                    tensors,
                    object(
                        "type", "object",
                        "description", "Columns: one list of values per column",
                        "additionalProperties", object("type", "array")))),
            params));
    schemas.set(
        "MlflowRequest",
        object(
            "oneOf",
            array(
                ref("MlflowDataframeSplit"),
                ref("MlflowDataframeRecords"),
                ref("MlflowInstances"),
                ref("MlflowInputs"))));
    schemas.set(
        "MlflowPredictions",
        object(
            "type", "object",
            "required", array("predictions"),
            "properties",
                object(
                    "predictions",
                    object(
                        "type",
                        "array",
                        "description",
                        "A value per row (a 1-D answer), a record per row (named columns),"
                            + " or the answer as it is",
                        "items",
                        object(
                            "anyOf",
                            array(ref("ModelOutputRow"), object("type", "array"), scalar()))))));
    schemas.set(
        "MlflowError",
        object(
            "type", "object",
            "required", array("error_code", "message"),
            "properties",
                object(
                    "error_code", object("type", "string"), "message", object("type", "string"))));
  }

  private static ObjectNode format(String field, ObjectNode value, ObjectNode params) {
    return object(
        "type", "object",
        "required", array(field),
        "properties", object(field, value, "params", params));
  }

  private static ObjectNode tensor(String description) {
    return object(
        "type",
        "object",
        "description",
        description,
        "required",
        array("name", "shape", "datatype", "data"),
        "properties",
        object(
            "name", object("type", "string"),
            "shape", object("type", "array", "items", integer()),
            "datatype", ref("V2Datatype"),
            "parameters", ref("V2Parameters"),
            "data", ref("V2TensorData")));
  }

  private static ObjectNode errorObject(String field) {
    return object(
        "type",
        "object",
        "required",
        array(field),
        "properties",
        object(field, object("type", "string")));
  }

  private static ObjectNode names(String description) {
    return object("type", "array", "description", description, "items", object("type", "string"));
  }

  /** One value of a cell: any JSON scalar. */
  private static ObjectNode scalar() {
    return object("type", array("number", "string", "boolean", "null"));
  }

  private static ObjectNode bool() {
    return object("type", "boolean");
  }

  private static ObjectNode integer() {
    return object("type", "integer");
  }
}
