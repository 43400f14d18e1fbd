package org.odahu.pack.server.v2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.IntNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.odahu.pack.gppi.InvalidInputException;
import org.odahu.pack.gppi.ModelSchema;
import org.odahu.pack.gppi.PredictionInput;
import org.odahu.pack.gppi.SchemaField;

/** Inference requests to the GPPI matrix: both forms, and what each refuses. */
class InferenceRequestTest {
  static final ModelSchema AB =
      new ModelSchema(
          List.of(field("a", "number", true), field("b", "number", true)),
          List.of(field("y", "number", true)));
  static final ModelSchema NONE = new ModelSchema(List.of(), List.of());

  static SchemaField field(String name, String type, boolean required) {
    return new SchemaField(name, type, IntNode.valueOf(0), required);
  }

  static PredictionInput input(String json, ModelSchema schema) {
    return TensorMatrix.toInput(
        InferenceRequestParser.parse(json.getBytes(StandardCharsets.UTF_8)), schema);
  }

  static String refusal(String json, ModelSchema schema) {
    return assertThrows(InvalidInputException.class, () -> input(json, schema)).getMessage();
  }

  static String tensor(String name, String shape, String datatype, String data) {
    return "{\"name\":\""
        + name
        + "\",\"shape\":"
        + shape
        + ",\"datatype\":\""
        + datatype
        + "\",\"data\":"
        + data
        + "}";
  }

  static String request(String... inputs) {
    return "{\"inputs\":[" + String.join(",", inputs) + "]}";
  }

  @Test
  void aMatrixWithoutColumnsIsRefusedBeforeItsRowsAreBuilt() {
    String message = refusal(request(tensor("x", "[2000000000,0]", "FP64", "[]")), NONE);
    assertTrue(message.contains("has no columns"), message);
  }

  /** The specification's own example: its input1 has shape [3] and one element. */
  @Test
  void theSpecificationsExampleRequestIsRefusedForItsShapeMismatch() {
    String example =
        """
        {
          "id" : "42",
          "inputs" : [
            {
              "name" : "input0",
              "shape" : [ 2, 2 ],
              "datatype" : "UINT32",
              "data" : [ 1, 2, 3, 4 ]
            },
            {
              "name" : "input1",
              "shape" : [ 3 ],
              "datatype" : "BOOL",
              "data" : [ true ]
            }
          ],
          "outputs" : [
            {
              "name" : "output0"
            }
          ]
        }
        """;
    assertEquals(
        "Input \"input1\": its shape [3] holds 3 element(s), its data has 1",
        refusal(example, NONE));
  }

  @Test
  void theSpecificationsFirstInputAloneIsTheMatrixFlatOrNested() {
    InferenceRequest parsed =
        InferenceRequestParser.parse(
            ("{\"id\":\"42\",\"inputs\":["
                    + tensor("input0", "[2,2]", "UINT32", "[1,2,3,4]")
                    + "],\"outputs\":[{\"name\":\"output0\"}]}")
                .getBytes(StandardCharsets.UTF_8));
    assertEquals("42", parsed.id());
    assertEquals(List.of("output0"), parsed.outputs());
    PredictionInput flat = TensorMatrix.toInput(parsed, NONE);
    PredictionInput nested =
        input(request(tensor("input0", "[2,2]", "UINT32", "[[1,2],[3,4]]")), NONE);
    assertEquals("[[1,2],[3,4]]", flat.data().toString());
    assertEquals(flat.data(), nested.data());
    assertNull(flat.columns(), "no names: the model gets None, as without ODAHU's columns");
  }

  /** What MLServer's client posts: pydantic's {@code .dict()} writes unset fields as null. */
  @Test
  void optionalFieldsSentAsNullAreAbsent() {
    InferenceRequest parsed =
        InferenceRequestParser.parse(
            ("{\"id\":null,\"parameters\":null,\"inputs\":[{\"name\":\"x\",\"shape\":[2,1],"
                    + "\"datatype\":\"FP64\",\"parameters\":{\"content_type\":\"np\","
                    + "\"headers\":null,\"columns\":null,\"binary_data_size\":null},"
                    + "\"data\":[1.0,2.0]}],"
                    + "\"outputs\":null}")
                .getBytes(StandardCharsets.UTF_8));
    assertNull(parsed.id());
    assertEquals(List.of(), parsed.outputs());
    assertNull(parsed.columns());
    assertEquals("[[1.0],[2.0]]", TensorMatrix.toInput(parsed, NONE).data().toString());
    assertEquals("The inference request has no \"inputs\"", refusal("{\"inputs\":null}", NONE));
    assertEquals(
        "Input \"a\" needs \"name\", \"shape\", \"datatype\" and \"data\"",
        refusal(
            "{\"inputs\":[{\"name\":\"a\",\"shape\":[1],\"datatype\":\"FP64\",\"data\":null}]}",
            NONE));
  }

  @Test
  void aMatrixTakesItsColumnNamesFromTheParameterOrTheSchema() {
    String matrix = tensor("x", "[1,2]", "FP64", "[[1.5,2]]");
    assertEquals("[\"a\",\"b\"]", input(request(matrix), AB).columns().toString());
    String named =
        "{\"name\":\"x\",\"shape\":[1,2],\"datatype\":\"FP64\",\"data\":[1.5,2],"
            + "\"parameters\":{\"columns\":[\"b\",\"a\"]}}";
    assertEquals("[\"b\",\"a\"]", input(request(named), AB).columns().toString());
    String requestLevel = "{\"parameters\":{\"columns\":\"b, a\"},\"inputs\":[" + matrix + "]}";
    assertEquals("[\"b\",\"a\"]", input(requestLevel, AB).columns().toString());
    assertEquals("[[1.5,2]]", input(request(matrix), AB).data().toString());
    assertTrue(
        refusal("{\"parameters\":{\"columns\":[\"a\"]},\"inputs\":[" + matrix + "]}", AB)
            .contains("has 2 column(s), its \"columns\" parameter names 1"));
  }

  @Test
  void oneInputPerColumnGivesRowsOfTheirValuesInTheRequestsOrder() {
    PredictionInput input =
        input(
            request(
                tensor("b", "[2]", "INT64", "[10,20]"),
                tensor("a", "[2,1]", "FP32", "[[1.5],[2.5]]")),
            AB);
    assertEquals("[\"b\",\"a\"]", input.columns().toString());
    assertEquals("[[10,1.5],[20,2.5]]", input.data().toString());
    assertEquals(2, input.rowCount());
    assertTrue(input.isMergeable(), "mergeable with other requests of the same columns");
  }

  @Test
  void valuesReachTheModelAsWritten() {
    PredictionInput input =
        input(
            request(
                tensor("a", "[1]", "FP64", "[1.50e0]"),
                tensor("b", "[1]", "UINT64", "[18446744073709551615]")),
            AB);
    assertEquals("[[1.50e0,18446744073709551615]]", input.data().toString());
    PredictionInput strings =
        input(request(tensor("s", "[2]", "BYTES", "[\"x\\\"y\",\"\\u00e9\"]")), NONE);
    assertEquals("[[\"x\\\"y\"],[\"é\"]]", strings.data().toString());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "UINT8|[256]|Input \"a\" has datatype UINT8, but its element 0 (256) is out of range",
        "UINT32|[-1]|Input \"a\" has datatype UINT32, but its element 0 (-1) is out of range",
        "INT8|[-129]|Input \"a\" has datatype INT8, but its element 0 (-129) is out of range",
        "INT32|[1.5]|Input \"a\" has datatype INT32, but its element 0 (1.5) is not an integer",
        "INT64|[9223372036854775808]|Input \"a\" has datatype INT64, but its element 0"
            + " (9223372036854775808) is out of range",
        "BOOL|[1]|Input \"a\" has datatype BOOL, but its element 0 (1) is a number",
        "FP32|[1e39]|Input \"a\" has datatype FP32, but its element 0 (1e39) is out of range",
        "FP16|[70000]|Input \"a\" has datatype FP16, but its element 0 (70000) is out of range",
        "FP16|[-65520]|Input \"a\" has datatype FP16, but its element 0 (-65520) is out of range",
        "FP32|[3.4028236e38]|Input \"a\" has datatype FP32, but its element 0 (3.4028236e38) is"
            + " out of range",
        "FP64|[1e309]|Input \"a\" has datatype FP64, but its element 0 (1e309) is out of range",
        "FP64|[\"1\"]|Input \"a\" has datatype FP64, but its element 0 (\"1\") is a string",
        "BYTES|[1]|Input \"a\" has datatype BYTES, but its element 0 (1) is a number",
        "INT64|[null]|Input \"a\" has datatype INT64, but its element 0 (null) is null",
        "FLOAT|[1]|Input \"a\" has an unknown datatype \"FLOAT\"; the datatypes are BOOL, UINT8,"
            + " UINT16, UINT32, UINT64, INT8, INT16, INT32, INT64, FP16, FP32, FP64 and BYTES",
      })
  void aValueOutsideItsDatatypeIsRefused(String datatype, String data, String message) {
    assertEquals(message, refusal(request(tensor("a", "[1]", datatype, data)), NONE));
  }

  @Test
  void everyDatatypeTakesItsOwnValues() {
    String[][] accepted = {
      {"BOOL", "[true]"},
      {"UINT8", "[255]"},
      {"UINT16", "[65535]"},
      {"UINT32", "[4294967295]"},
      {"UINT64", "[0]"},
      {"INT8", "[-128]"},
      {"INT16", "[-32768]"},
      {"INT32", "[2147483647]"},
      {"INT64", "[-9223372036854775808]"},
      {"FP16", "[65504]"},
      // Values that round to the type's largest: numpy's float16(65519), float32's shortest form.
      {"FP16", "[-65519]"},
      {"FP32", "[1.5]"},
      {"FP32", "[3.4028235e38]"},
      {"FP64", "[1.7976931348623157e308]"},
      {"FP64", "[null]"},
      {"BYTES", "[\"x\"]"}
    };
    for (String[] pair : accepted) {
      String value = pair[1].substring(1, pair[1].length() - 1);
      assertEquals(
          "[[" + value + "]]",
          input(request(tensor("a", "[1]", pair[0], pair[1])), NONE).data().toString(),
          pair[0]);
    }
  }

  @Test
  void shapeAndDataMustAgree() {
    assertEquals(
        "Input \"a\": its shape [2, 2] holds 4 element(s), its data has 3",
        refusal(request(tensor("a", "[2,2]", "FP64", "[1,2,3]")), NONE));
    assertTrue(
        refusal(request(tensor("a", "[2,2]", "FP64", "[[1,2,3],[4]]")), NONE)
            .startsWith("Input \"a\": the nesting of its data does not match its shape [2, 2]"));
    assertTrue(
        refusal(request(tensor("a", "[2,2]", "FP64", "[[1,2],[3,{}]]")), NONE)
            .contains("an element is a JSON object"));
    assertEquals(
        "Input 0: \"shape\" must hold non-negative integers (the tensor's dimensions)",
        refusal(request(tensor("a", "[-1,2]", "FP64", "[]")), NONE));
    assertEquals(
        "Input \"a\" has no rows", refusal(request(tensor("a", "[0,2]", "FP64", "[]")), NONE));
  }

  @Test
  void perColumnInputsMustBeTheModelsColumnsWithOneRowCount() {
    assertEquals(
        "Input \"c\" is not one of the model's inputs: a, b (or send one 2-D input [rows,"
            + " columns])",
        refusal(request(tensor("a", "[1]", "FP64", "[1]"), tensor("c", "[1]", "FP64", "[1]")), AB));
    assertEquals(
        "The model's required input(s) b are missing",
        refusal(request(tensor("a", "[1]", "FP64", "[1]")), AB));
    // [rows, 1] is a column too: named like one of the model's, it is no matrix without names.
    assertEquals(
        "The model's required input(s) b are missing",
        refusal(request(tensor("a", "[3,1]", "INT64", "[1,2,3]")), AB));
    ModelSchema optionalB =
        new ModelSchema(
            List.of(field("a", "number", true), field("b", "number", false)), AB.output());
    PredictionInput alone = input(request(tensor("a", "[2,1]", "INT64", "[1,2]")), optionalB);
    assertEquals("[\"a\"]", alone.columns().toString());
    assertEquals("[[1],[2]]", alone.data().toString());
    // A name that is no column of the model's: a matrix of one column, as before.
    assertNull(input(request(tensor("x", "[2,1]", "INT64", "[1,2]")), AB).columns());
    assertEquals(
        "The inputs have different numbers of rows: \"a\" has 1, \"b\" has 2",
        refusal(
            request(tensor("a", "[1]", "FP64", "[1]"), tensor("b", "[2]", "FP64", "[1,2]")), AB));
    assertTrue(
        refusal(
                request(tensor("a", "[1,2]", "FP64", "[1,2]"), tensor("b", "[1]", "FP64", "[1]")),
                AB)
            .contains(
                "give either one 2-D input [rows, columns] or one 1-D input [rows] per column"));
    assertEquals(
        "Two inputs are named \"a\"",
        refusal(request(tensor("a", "[1]", "FP64", "[1]"), tensor("a", "[1]", "FP64", "[1]")), AB));
  }

  @Test
  void malformedRequestsGetClearMessages() {
    assertEquals(
        "The request body is empty; send an inference request: a JSON object with \"inputs\"",
        refusal("", NONE));
    assertTrue(refusal("{\"inputs\":[", NONE).startsWith("The request body is not valid JSON"));
    assertEquals(
        "The request body must be a JSON object with \"inputs\" (an inference request)",
        refusal("[]", NONE));
    assertEquals("The inference request has no \"inputs\"", refusal("{\"id\":\"1\"}", NONE));
    assertEquals("\"id\" must be a string", refusal("{\"id\":1,\"inputs\":[]}", NONE));
    assertEquals(
        "Input \"a\" needs \"name\", \"shape\", \"datatype\" and \"data\"",
        refusal("{\"inputs\":[{\"name\":\"a\",\"shape\":[1],\"data\":[1]}]}", NONE));
    assertEquals(
        "The binary tensor data extension is not supported: send tensor data as JSON",
        refusal(
            "{\"inputs\":[{\"name\":\"a\",\"shape\":[1],\"datatype\":\"FP32\","
                + "\"parameters\":{\"binary_data_size\":4}}]}",
            NONE));
  }
}
