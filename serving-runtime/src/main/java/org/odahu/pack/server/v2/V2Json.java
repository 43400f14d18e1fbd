package org.odahu.pack.server.v2;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.odahu.pack.gppi.ModelSchema;
import org.odahu.pack.gppi.RequestJson;
import org.odahu.pack.gppi.SchemaField;
import org.odahu.pack.server.http.ApiError;
import org.odahu.pack.server.http.ApiResponse;
import org.odahu.pack.server.http.ErrorEncoder;
import org.odahu.pack.server.http.ModelIdentity;

/** The Open Inference Protocol's JSON bodies, written compactly. */
final class V2Json {
  /** The protocol's platform names have the form {@code <project>_<format>}. */
  static final String PLATFORM = "odahu_gppi";

  private static final JsonFactory JSON = RequestJson.factory();

  /** Errors as the protocol writes them: {@code {"error": "..."}}. */
  static final ErrorEncoder ERRORS =
      (ApiError error) ->
          new ApiResponse(
              error.status(),
              write(json -> json.writeStringField("error", error.message())),
              ApiResponse.JSON,
              error.headers());

  private V2Json() {}

  /** Writes the fields of one JSON object. */
  @FunctionalInterface
  interface Fields {
    void write(JsonGenerator json) throws IOException;
  }

  /** A JSON object whose fields {@code fields} writes. */
  static byte[] write(Fields fields) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      fields.write(json);
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The inference response. */
  static byte[] inferenceResponse(ModelIdentity model, String id, List<OutputTensor> outputs) {
    return write(
        json -> {
          json.writeStringField("model_name", model.name());
          json.writeStringField("model_version", model.version());
          json.writeStringField("id", id);
          json.writeArrayFieldStart("outputs");
          for (OutputTensor output : outputs) {
            json.writeStartObject();
            json.writeStringField("name", output.name());
            json.writeArrayFieldStart("shape");
            for (long dimension : output.shape()) {
              json.writeNumber(dimension);
            }
            json.writeEndArray();
            json.writeStringField("datatype", output.datatype().name());
            json.writeArrayFieldStart("data");
            for (JsonValue value : output.data()) {
              json.writeRawValue(value.json());
            }
            json.writeEndArray();
            json.writeEndObject();
          }
          json.writeEndArray();
        });
  }

  /** The model metadata response: one tensor of shape {@code [-1]} per column of the schema. */
  static byte[] modelMetadata(ModelIdentity model, ModelSchema schema) {
    return write(
        json -> {
          json.writeStringField("name", model.name());
          json.writeArrayFieldStart("versions");
          json.writeString(model.version());
          json.writeEndArray();
          json.writeStringField("platform", PLATFORM);
          tensors(json, "inputs", schema.input());
          tensors(json, "outputs", schema.output());
        });
  }

  private static void tensors(JsonGenerator json, String field, List<SchemaField> columns)
      throws IOException {
    json.writeArrayFieldStart(field);
    for (SchemaField column : columns) {
      json.writeStartObject();
      json.writeStringField("name", column.name());
      json.writeStringField("datatype", TensorType.ofSchemaType(column.type()).name());
      json.writeArrayFieldStart("shape");
      json.writeNumber(-1);
      json.writeEndArray();
      json.writeEndObject();
    }
    json.writeEndArray();
  }
}
