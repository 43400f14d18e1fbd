package org.odahu.pack.server.v2;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.odahu.pack.gppi.InvalidInputException;
import org.odahu.pack.gppi.RequestJson;
import org.odahu.pack.server.http.DecodeMemory;
import org.odahu.pack.server.http.JsonBodies;
import org.odahu.pack.server.http.RequestRejectedException;

/**
 * Reads the body of {@code POST /v2/models/{name}/infer}: the inference request object of the Open
 * Inference Protocol. Unknown fields are ignored; the binary tensor data extension is refused with
 * a clear message, as this server does not implement it.
 */
final class InferenceRequestParser {
  private static final JsonFactory JSON = RequestJson.factory();

  /** What reading one value builds (see {@link #parse(byte[], DecodeMemory)}). */
  private static final int VALUE_BYTES = 80;

  private InferenceRequestParser() {}

  /**
   * The request {@code body} holds.
   *
   * @throws InvalidInputException if it is not a valid inference request
   */
  static InferenceRequest parse(byte[] body) {
    return parse(body, DecodeMemory.UNBOUNDED);
  }

  /**
   * As {@link #parse(byte[])}, charging {@code memory} for what it builds: each element becomes a
   * {@link JsonValue}, its text and a list slot, ~80 bytes for a one-digit number.
   *
   * @throws RequestRejectedException if they do not fit in {@code memory}
   */
  static InferenceRequest parse(byte[] body, DecodeMemory memory) {
    if (body.length == 0) {
      throw new InvalidInputException(
          "The request body is empty; send an inference request: a JSON object with \"inputs\"");
    }
    if (JsonBodies.isWideJson(body)) {
      throw new InvalidInputException(
          "The request body is not valid JSON: " + JsonBodies.WIDE_JSON);
    }
    try (JsonParser parser = memory.counting(JSON.createParser(body), VALUE_BYTES)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new InvalidInputException(
            "The request body must be a JSON object with \"inputs\" (an inference request)");
      }
      InferenceRequest request = readRequest(parser);
      if (parser.nextToken() != null) {
        throw new InvalidInputException("The request body has content after its JSON object");
      }
      return request;
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(
          "The request body is not valid JSON: " + RequestJson.describe(e, false));
    } catch (IOException e) {
      throw new InvalidInputException("The request body cannot be read: " + e.getMessage());
    }
  }

  private static InferenceRequest readRequest(JsonParser parser) throws IOException {
    String id = null;
    List<InputTensor> inputs = null;
    List<String> outputs = List.of();
    List<String> columns = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      if (value == JsonToken.VALUE_NULL) {
        continue; // absent: MLServer's client sends every unset optional field as null
      }
      switch (field) {
        case "id" -> id = string(parser, value, "\"id\"");
        case "parameters" -> columns = parameters(parser, value, "the request's parameters");
        case "inputs" -> inputs = inputs(parser, value);
        case "outputs" -> outputs = outputs(parser, value);
        default -> parser.skipChildren();
      }
    }
    if (inputs == null || inputs.isEmpty()) {
      throw new InvalidInputException("The inference request has no \"inputs\"");
    }
    return new InferenceRequest(id, inputs, outputs, columns);
  }

  private static List<InputTensor> inputs(JsonParser parser, JsonToken value) throws IOException {
    if (value != JsonToken.START_ARRAY) {
      throw new InvalidInputException("\"inputs\" must be an array of input tensors");
    }
    List<InputTensor> inputs = new ArrayList<>();
    Set<String> names = new HashSet<>();
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      if (parser.currentToken() != JsonToken.START_OBJECT) {
        throw new InvalidInputException("Each of \"inputs\" must be an object (an input tensor)");
      }
      InputTensor input = input(parser, inputs.size());
      if (!names.add(input.name())) {
        throw new InvalidInputException("Two inputs are named \"" + input.name() + "\"");
      }
      inputs.add(input);
    }
    return inputs;
  }

  /** One input tensor; the parser is at its {@code START_OBJECT}. */
  private static InputTensor input(JsonParser parser, int index) throws IOException {
    String what = "Input " + index;
    String name = null;
    String datatype = null;
    List<Long> shape = null;
    List<String> columns = null;
    TensorData data = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      if (value == JsonToken.VALUE_NULL) {
        continue; // absent, as at the request's level
      }
      switch (field) {
        case "name" -> name = string(parser, value, what + ": \"name\"");
        case "datatype" -> datatype = string(parser, value, what + ": \"datatype\"");
        case "shape" -> shape = shape(parser, value, what);
        case "parameters" -> columns = parameters(parser, value, what + "'s parameters");
        case "data" -> data = data(parser, value, what);
        default -> parser.skipChildren();
      }
    }
    String named = name == null ? what : "Input \"" + name + "\"";
    if (name == null || shape == null || datatype == null || data == null) {
      throw new InvalidInputException(
          named + " needs \"name\", \"shape\", \"datatype\" and \"data\"");
    }
    TensorType type = TensorType.parse(datatype);
    if (type == null) {
      throw new InvalidInputException(
          named
              + " has an unknown datatype \""
              + datatype
              + "\"; the datatypes are BOOL, UINT8, UINT16, UINT32, UINT64, INT8, INT16, INT32,"
              + " INT64, FP16, FP32, FP64 and BYTES");
    }
    return InputTensor.of(name, type, shape, columns, data);
  }

  private static List<Long> shape(JsonParser parser, JsonToken value, String what)
      throws IOException {
    if (value != JsonToken.START_ARRAY) {
      throw new InvalidInputException(what + ": \"shape\" must be an array of dimensions");
    }
    List<Long> shape = new ArrayList<>();
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT
          || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
          || parser.getLongValue() < 0) {
        parser.skipChildren();
        throw new InvalidInputException(
            what + ": \"shape\" must hold non-negative integers (the tensor's dimensions)");
      }
      shape.add(parser.getLongValue());
    }
    return shape;
  }

  private static TensorData data(JsonParser parser, JsonToken value, String what)
      throws IOException {
    if (value != JsonToken.START_ARRAY) {
      throw new InvalidInputException(
          what + ": \"data\" must be an array of the tensor's elements, flat or nested");
    }
    try {
      return TensorData.read(parser, false);
    } catch (TensorData.NotScalarException e) {
      throw new InvalidInputException(what + ": " + e.getMessage());
    }
  }

  /** The requested outputs' names. */
  private static List<String> outputs(JsonParser parser, JsonToken value) throws IOException {
    if (value != JsonToken.START_ARRAY) {
      throw new InvalidInputException("\"outputs\" must be an array of requested outputs");
    }
    List<String> names = new ArrayList<>();
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      if (parser.currentToken() != JsonToken.START_OBJECT) {
        throw new InvalidInputException("Each of \"outputs\" must be an object with a \"name\"");
      }
      String name = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken fieldValue = parser.nextToken();
        if (field.equals("name") && fieldValue != JsonToken.VALUE_NULL) {
          name = string(parser, fieldValue, "An output's \"name\"");
        } else {
          // Its parameters (e.g. binary_data) ask for nothing this server does differently:
          // outputs are always JSON.
          parser.skipChildren();
        }
      }
      if (name == null) {
        throw new InvalidInputException("Each of \"outputs\" needs a \"name\"");
      }
      names.add(name);
    }
    return names;
  }

  /**
   * Reads a parameters object and returns its {@code columns} (an array of strings, or one string
   * of comma-separated names), or null when it has none.
   */
  private static List<String> parameters(JsonParser parser, JsonToken value, String what)
      throws IOException {
    if (value != JsonToken.START_OBJECT) {
      throw new InvalidInputException(what + " must be a JSON object");
    }
    List<String> columns = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken parameter = parser.nextToken();
      if (name.equals("columns") && parameter != JsonToken.VALUE_NULL) {
        columns = columns(parser, parameter, what);
      } else if (name.equals("binary_data_size") && parameter != JsonToken.VALUE_NULL) {
        throw new InvalidInputException(
            "The binary tensor data extension is not supported: send tensor data as JSON");
      } else {
        parser.skipChildren();
      }
    }
    return columns;
  }

  private static List<String> columns(JsonParser parser, JsonToken value, String what)
      throws IOException {
    if (value == JsonToken.VALUE_STRING) {
      return List.of(parser.getText().split(",", -1)).stream().map(String::strip).toList();
    }
    if (value != JsonToken.START_ARRAY) {
      throw new InvalidInputException(
          "\"columns\" in " + what + " must be an array of column names or one string of them");
    }
    List<String> columns = new ArrayList<>();
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      if (parser.currentToken() != JsonToken.VALUE_STRING) {
        parser.skipChildren();
        throw new InvalidInputException("\"columns\" in " + what + " must hold strings");
      }
      columns.add(parser.getText());
    }
    return columns;
  }

  private static String string(JsonParser parser, JsonToken value, String what) throws IOException {
    if (value != JsonToken.VALUE_STRING) {
      parser.skipChildren();
      throw new InvalidInputException(what + " must be a string");
    }
    return parser.getText();
  }
}
