package org.odahu.pack.server.v2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.odahu.pack.gppi.ModelSchema;
import org.odahu.pack.gppi.Prediction;
import org.odahu.pack.gppi.PredictionInput;
import org.odahu.pack.server.http.ApiRequest;
import org.odahu.pack.server.http.ApiResponse;
import org.odahu.pack.server.http.ModelIdentity;
import org.odahu.pack.server.http.RequestRejectedException;

/** The model's answer as output tensors, and whole inference calls. */
class InferenceResponseTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final ModelIdentity MODEL = new ModelIdentity("mymodel", "1");

  static Prediction answer(String prediction, String columns) {
    return new Prediction(
        prediction.getBytes(StandardCharsets.UTF_8),
        columns.getBytes(StandardCharsets.UTF_8),
        new Prediction.Timings(0, 0, 1, 1));
  }

  static List<OutputTensor> tensors(String prediction, String columns, String... requested) {
    return PredictionTensors.of(
        answer(prediction, columns), InferenceRequestTest.AB, List.of(requested));
  }

  static ApiRequest post(String path, Map<String, String> parameters, String body) {
    return new ApiRequest(
        "POST",
        path,
        parameters,
        List.of(Map.entry("Content-Type", "application/json")),
        body.getBytes(StandardCharsets.UTF_8),
        "req-1",
        null);
  }

  /**
   * The specification's example response: a model answering a [3, 2] tensor for the output
   * "output0" that the request asks for.
   */
  @Test
  void theSpecificationsExampleResponse() throws Exception {
    InferCall call = new InferCall(MODEL, InferenceRequestTest.NONE, null);
    ApiRequest request =
        post(
            "/v2/models/mymodel/infer",
            Map.of("name", "mymodel"),
            "{\"id\":\"42\",\"inputs\":["
                + InferenceRequestTest.tensor("input0", "[2,2]", "UINT32", "[1,2,3,4]")
                + "],\"outputs\":[{\"name\":\"output0\"}]}");
    PredictionInput input = call.decode(request);
    assertEquals("[[1,2],[3,4]]", input.data().toString());
    ApiResponse response =
        call.encode(answer("[[1.0,1.1],[2.0,2.1],[3.0,3.1]]", "[\"output0\"]"), request);
    assertEquals(200, response.status());
    assertEquals(
        JSON.readTree(
            """
            {
              "model_name" : "mymodel",
              "model_version" : "1",
              "id" : "42",
              "outputs" : [
                {
                  "name" : "output0",
                  "shape" : [ 3, 2 ],
                  "datatype"  : "FP64",
                  "data" : [ 1.0, 1.1, 2.0, 2.1, 3.0, 3.1 ]
                }
              ]
            }
            """),
        JSON.readTree(response.body()));
  }

  @Test
  void oneTensorPerNamedColumn() throws Exception {
    List<OutputTensor> outputs = tensors("[[1,\"x\",true],[2,\"y\",false]]", "[\"n\",\"s\",\"b\"]");
    assertEquals(List.of("n", "s", "b"), outputs.stream().map(OutputTensor::name).toList());
    assertEquals(
        List.of(TensorType.INT64, TensorType.BYTES, TensorType.BOOL),
        outputs.stream().map(OutputTensor::datatype).toList());
    assertEquals(List.of(2L), outputs.get(0).shape());
    assertEquals(List.of("1", "2"), outputs.get(0).data().stream().map(JsonValue::json).toList());
    assertEquals(
        List.of("\"x\"", "\"y\""), outputs.get(1).data().stream().map(JsonValue::json).toList());
  }

  @Test
  void aOneDimensionalAnswerIsItsOneColumn() {
    OutputTensor quality = tensors("[6.388,null]", "[\"quality\"]").get(0);
    assertEquals("quality", quality.name());
    assertEquals(TensorType.FP64, quality.datatype());
    assertEquals(List.of(2L), quality.shape());
    assertEquals(TensorType.FP64, tensors("[1,null]", "[\"y\"]").get(0).datatype());
    assertEquals(TensorType.INT64, tensors("[1,2]", "[\"y\"]").get(0).datatype());
    assertEquals(
        TensorType.INT64,
        tensors("[-9223372036854775808,9223372036854775807]", "[\"y\"]").get(0).datatype());
    assertEquals(
        TensorType.UINT64,
        tensors("[1,18446744073709551615]", "[\"y\"]").get(0).datatype(),
        "numpy's uint64 beyond int64");
    OutputTensor huge = tensors("[-1,18446744073709551616]", "[\"y\"]").get(0);
    assertEquals(TensorType.BYTES, huge.datatype(), "no integer datatype holds them");
    assertEquals(
        List.of("\"-1\"", "\"18446744073709551616\""),
        huge.data().stream().map(JsonValue::json).toList());
    assertEquals(
        TensorType.BYTES, tensors("[-1,9223372036854775808]", "[\"y\"]").get(0).datatype());
    // only nulls: the output column's type in the schema
    assertEquals(TensorType.FP64, tensors("[null]", "[\"y\"]").get(0).datatype());
  }

  @Test
  void aLoneSurrogateInTheModelsAnswerIsWrittenAsItsEscapeNotBlamedOnTheClient() {
    // As the worker writes it: Python's str may hold half a pair, JSON only its escape.
    OutputTensor text = tensors("[\"a\\ud800b\",\"\\ud83d\\ude00\"]", "[\"y\"]").get(0);
    assertEquals(TensorType.BYTES, text.datatype());
    assertEquals(
        List.of("\"a\\ud800b\"", "\"\ud83d\ude00\""),
        text.data().stream().map(JsonValue::json).toList());
    assertEquals(
        List.of("\"\\udc00\""),
        tensors("\"\\udc00\"", "null").get(0).data().stream().map(JsonValue::json).toList());
  }

  @Test
  void anAnswerWithoutOneNamePerColumnIsOneTensor() {
    OutputTensor whole = tensors("[[1,2],[3,4]]", "[]").get(0);
    assertEquals(PredictionTensors.WHOLE, whole.name());
    assertEquals(List.of(2L, 2L), whole.shape());
    assertEquals(PredictionTensors.WHOLE, tensors("[[1,2]]", "[\"a\",\"a\"]").get(0).name());
    OutputTensor mixed = tensors("[1,\"x\"]", "null").get(0);
    assertEquals(TensorType.BYTES, mixed.datatype());
    assertEquals(List.of("\"1\"", "\"x\""), mixed.data().stream().map(JsonValue::json).toList());
  }

  @Test
  void requestedOutputsAreChosenInTheirOrder() {
    List<OutputTensor> chosen = tensors("[[1,2,3]]", "[\"a\",\"b\",\"c\"]", "c", "a");
    assertEquals(List.of("c", "a"), chosen.stream().map(OutputTensor::name).toList());
    RequestRejectedException unknown =
        assertThrows(RequestRejectedException.class, () -> tensors("[[1]]", "[\"a\"]", "z"));
    assertEquals(400, unknown.error().status());
    assertEquals("The model has no output \"z\"; its outputs are: a", unknown.getMessage());
  }

  @Test
  void anAnswerThatIsNoTensorIsAServerError() {
    RequestRejectedException ragged =
        assertThrows(RequestRejectedException.class, () -> tensors("[[1,2],[3]]", "[]"));
    assertEquals(500, ragged.error().status());
    assertEquals(
        500,
        assertThrows(RequestRejectedException.class, () -> tensors("{\"a\":1}", "[]"))
            .error()
            .status());
  }

  @Test
  void theRequestIdIsTheClientsIdElseTheServersRequestId() throws Exception {
    InferCall call = new InferCall(MODEL, InferenceRequestTest.AB, null);
    ApiRequest request =
        post(
            "/v2/models/mymodel/infer",
            Map.of("name", "mymodel"),
            InferenceRequestTest.request(
                InferenceRequestTest.tensor("x", "[1,2]", "FP64", "[1,2]")));
    call.decode(request);
    JsonNode body = JSON.readTree(call.encode(answer("[3.5]", "[\"y\"]"), request).body());
    assertEquals("req-1", body.get("id").asText());
    assertEquals("y", body.get("outputs").get(0).get("name").asText());
  }

  /** What a model answering {@code ["result"]} gives a request for {@code output} alone. */
  private static ApiResponse askedFor(String output) {
    // AB's info() names its output "y": as out of date as simple's, which answers "result".
    InferCall call = new InferCall(MODEL, InferenceRequestTest.AB, null);
    ApiRequest request =
        post(
            "/v2/models/mymodel/infer",
            Map.of("name", "mymodel"),
            "{\"inputs\":["
                + InferenceRequestTest.tensor("x", "[1,2]", "FP64", "[1,2]")
                + "],\"outputs\":[{\"name\":\""
                + output
                + "\"}]}");
    call.decode(request);
    return call.encode(answer("[3]", "[\"result\"]"), request);
  }

  @Test
  void theOutputsAskedForAreCheckedAgainstTheAnswerNotAgainstInfo() throws Exception {
    JsonNode body = JSON.readTree(askedFor("result").body());
    assertEquals("result", body.get("outputs").get(0).get("name").asText());
    RequestRejectedException refused =
        assertThrows(RequestRejectedException.class, () -> askedFor("y"));
    assertEquals("The model has no output \"y\"; its outputs are: result", refused.getMessage());
  }

  @Test
  void unknownModelsAndVersionsAreRefusedBeforeTheModelIsCalled() {
    InferCall call = new InferCall(MODEL, InferenceRequestTest.AB, null);
    String body =
        "{\"inputs\":["
            + InferenceRequestTest.tensor("x", "[1,2]", "FP64", "[1,2]")
            + "],\"outputs\":[{\"name\":\"nope\"}]}";
    assertEquals(
        404,
        assertThrows(
                RequestRejectedException.class,
                () -> call.decode(post("/v2/models/other/infer", Map.of("name", "other"), body)))
            .error()
            .status());
    RequestRejectedException version =
        assertThrows(
            RequestRejectedException.class,
            () -> call.decode(post("/", Map.of("name", "mymodel", "version", "2"), body)));
    assertEquals(
        "Model \"mymodel\" has no version \"2\"; this server serves version \"1\"",
        version.getMessage());
  }

  @Test
  void modelSchemaGivesTheMetadata() throws Exception {
    ModelSchema schema = InferenceRequestTest.AB;
    assertEquals(
        JSON.readTree(
            "{\"name\":\"mymodel\",\"versions\":[\"1\"],\"platform\":\"odahu_gppi\","
                + "\"inputs\":[{\"name\":\"a\",\"datatype\":\"FP64\",\"shape\":[-1]},"
                + "{\"name\":\"b\",\"datatype\":\"FP64\",\"shape\":[-1]}],"
                + "\"outputs\":[{\"name\":\"y\",\"datatype\":\"FP64\",\"shape\":[-1]}]}"),
        JSON.readTree(V2Json.modelMetadata(MODEL, schema)));
  }
}
