package org.odahu.pack.server.v2;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.odahu.pack.gppi.ModelSchema;
import org.odahu.pack.gppi.Prediction;
import org.odahu.pack.gppi.RequestJson;
import org.odahu.pack.gppi.SchemaField;
import org.odahu.pack.server.http.RequestRejectedException;

/**
 * The model's answer as output tensors: one tensor of shape {@code [rows]} per output column when
 * the answer is a 2-D array with one name per column; otherwise the whole answer as one tensor,
 * named by the answer's one column name (a 1-D answer's usually) or else {@value #WHOLE}. Each
 * tensor's datatype follows its values (BOOL, INT64 or UINT64 as they fit, FP64, else BYTES); a
 * tensor of only nulls takes the type of its column in the model's schema.
 */
final class PredictionTensors {
  /** The name of the tensor that holds the whole answer when it is not split into columns. */
  static final String WHOLE = "prediction";

  private static final JsonFactory JSON = RequestJson.factory();

  private PredictionTensors() {}

  /**
   * The output tensors of {@code prediction}, all of them or those {@code requested} in that order.
   *
   * @throws RequestRejectedException 400 for a requested output the answer does not have, 500 for
   *     an answer that is not a rectangular array of scalars
   */
  static List<OutputTensor> of(Prediction prediction, ModelSchema schema, List<String> requested) {
    List<OutputTensor> all = split(read(prediction.predictionJson()), names(prediction), schema);
    if (requested.isEmpty()) {
      return all;
    }
    List<OutputTensor> chosen = new ArrayList<>(requested.size());
    for (String name : requested) {
      chosen.add(
          all.stream()
              .filter(output -> output.name().equals(name))
              .findFirst()
              .orElseThrow(
                  () ->
                      new RequestRejectedException(
                          400,
                          "The model has no output \""
                              + name
                              + "\"; its outputs are: "
                              + String.join(", ", all.stream().map(OutputTensor::name).toList()))));
    }
    return chosen;
  }

  private static List<OutputTensor> split(TensorData data, List<String> names, ModelSchema schema) {
    if (!data.isRectangular()) {
      throw new RequestRejectedException(
          500,
          "The model's answer is not a rectangular array of numbers, strings or booleans, so it"
              + " cannot be written as a tensor; ODAHU's POST /api/model/invoke returns it as it is");
    }
    List<Long> shape = data.shape();
    boolean distinct = new HashSet<>(names).size() == names.size();
    boolean columns = shape.size() == 2 && shape.get(1) == names.size() && distinct;
    if (!columns) {
      // One name names the whole answer (e.g. a 1-D answer and its one column).
      String name = names.size() == 1 ? names.get(0) : WHOLE;
      return List.of(tensor(name, shape, data.values(), schema));
    }
    int rows = (int) (long) shape.get(0);
    int width = names.size();
    List<OutputTensor> outputs = new ArrayList<>(width);
    for (int column = 0; column < width; column++) {
      List<JsonValue> values = new ArrayList<>(rows);
      for (int row = 0; row < rows; row++) {
        values.add(data.values().get(row * width + column));
      }
      outputs.add(tensor(names.get(column), List.of((long) rows), values, schema));
    }
    return outputs;
  }

  private static OutputTensor tensor(
      String name, List<Long> shape, List<JsonValue> values, ModelSchema schema) {
    TensorType type = datatype(values, schemaType(name, schema));
    List<JsonValue> data = values;
    if (type == TensorType.BYTES) {
      data = new ArrayList<>(values.size());
      for (JsonValue value : values) {
        boolean text = value.kind() == JsonValue.Kind.STRING || value.kind() == JsonValue.Kind.NULL;
        data.add(
            text ? value : new JsonValue(JsonValue.Kind.STRING, JsonValue.quote(value.json())));
      }
    }
    return new OutputTensor(name, type, shape, data);
  }

  /** The datatype the values have; {@code fallback} when all are null (or there are none). */
  static TensorType datatype(List<JsonValue> values, TensorType fallback) {
    Set<JsonValue.Kind> kinds = EnumSet.noneOf(JsonValue.Kind.class);
    for (JsonValue value : values) {
      kinds.add(value.kind());
    }
    boolean nulls = kinds.remove(JsonValue.Kind.NULL);
    if (kinds.isEmpty()) {
      return fallback;
    }
    if (EnumSet.of(JsonValue.Kind.TRUE, JsonValue.Kind.FALSE).containsAll(kinds)) {
      return TensorType.BOOL;
    }
    if (kinds.equals(EnumSet.of(JsonValue.Kind.INTEGER))) {
      return nulls ? TensorType.FP64 : integers(values);
    }
    if (EnumSet.of(JsonValue.Kind.INTEGER, JsonValue.Kind.FLOAT).containsAll(kinds)) {
      return TensorType.FP64;
    }
    return TensorType.BYTES;
  }

  /**
   * INT64 if every integer fits it, else UINT64 if every one fits that (a model's numpy uint64),
   * else BYTES: the integers as text, exactly, where no integer datatype holds them.
   */
  private static TensorType integers(List<JsonValue> values) {
    for (TensorType type : List.of(TensorType.INT64, TensorType.UINT64)) {
      if (values.stream().allMatch(value -> type.refusal(value) == null)) {
        return type;
      }
    }
    return TensorType.BYTES;
  }

  private static TensorType schemaType(String name, ModelSchema schema) {
    for (SchemaField field : schema.output()) {
      if (field.name().equals(name)) {
        return TensorType.ofSchemaType(field.type());
      }
    }
    return TensorType.FP64;
  }

  private static TensorData read(byte[] json) {
    try (JsonParser parser = JSON.createParser(json)) {
      JsonToken token = parser.nextToken();
      if (token == JsonToken.START_ARRAY) {
        return TensorData.read(parser, true);
      }
      JsonValue scalar = JsonValue.read(parser, true);
      if (scalar == null) {
        throw notATensor();
      }
      return TensorData.scalar(scalar);
    } catch (IOException | TensorData.NotScalarException e) {
      throw notATensor();
    }
  }

  private static RequestRejectedException notATensor() {
    return new RequestRejectedException(
        500,
        "The model's answer is not an array of numbers, strings or booleans, so it cannot be"
            + " written as tensors; ODAHU's POST /api/model/invoke returns it as it is");
  }

  /** The output column names: the answer's columns when they are an array of strings. */
  private static List<String> names(Prediction prediction) {
    List<String> names = new ArrayList<>();
    try (JsonParser parser = JSON.createParser(prediction.columnsJson())) {
      if (parser.nextToken() != JsonToken.START_ARRAY) {
        return List.of();
      }
      while (parser.nextToken() == JsonToken.VALUE_STRING) {
        names.add(parser.getText());
      }
      return parser.currentToken() == JsonToken.END_ARRAY ? names : List.of();
    } catch (IOException e) {
      return List.of();
    }
  }
}
