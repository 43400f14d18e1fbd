package org.odahu.pack.server.mlflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.odahu.pack.gppi.InvalidInputException;
import org.odahu.pack.gppi.Prediction;
import org.odahu.pack.gppi.PredictionInput;
import org.odahu.pack.server.http.ApiError;
import org.odahu.pack.server.http.ApiRequest;
import org.odahu.pack.server.http.ApiResponse;
import org.odahu.pack.server.http.RequestRejectedException;

/**
 * MLflow's request formats to the GPPI matrix (the bodies of MLflow's documentation first), its
 * answers, its errors and its 415.
 */
class MlflowCodecTest {
  private final MlflowCodec codec = new MlflowCodec();

  static ApiRequest request(String contentType, String body) {
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    if (contentType != null) {
      headers.add(Map.entry("Content-Type", contentType));
    }
    return new ApiRequest(
        "POST",
        "/invocations",
        Map.of(),
        headers,
        body.getBytes(StandardCharsets.UTF_8),
        "r1",
        null);
  }

  PredictionInput json(String body) {
    return codec.decode(request("application/json", body));
  }

  String refusal(String body) {
    return assertThrows(InvalidInputException.class, () -> json(body)).getMessage();
  }

  static String columns(PredictionInput input) {
    return input.columns() == null ? null : input.columns().toString();
  }

  @Test
  void recordsOrCsvThatWouldExpandIntoAHugeTableAreRefused() {
    StringBuilder records = new StringBuilder("{\"dataframe_records\": [");
    for (int i = 0; i < 4_000; i++) {
      records.append(i == 0 ? "" : ",").append("{\"k").append(i).append("\": 0}");
    }
    String message = refusal(records.append("]}").toString());
    assertTrue(message.contains("more than 10000000 values"), message);
    String csv = ",".repeat(4_000) + "\n" + "1\n".repeat(4_000);
    String csvMessage =
        assertThrows(InvalidInputException.class, () -> codec.decode(request("text/csv", csv)))
            .getMessage();
    assertTrue(csvMessage.contains("more than 10000000 values"), csvMessage);
  }

  @Test
  void aUtf16BodyIsRefusedNotFailedOn() {
    ApiRequest utf16 =
        new ApiRequest(
            "POST",
            "/invocations",
            Map.of(),
            List.of(Map.entry("Content-Type", "application/json")),
            "{\"instances\": [1]}".getBytes(StandardCharsets.UTF_16LE),
            "r1",
            null);
    assertTrue(
        assertThrows(InvalidInputException.class, () -> codec.decode(utf16))
            .getMessage()
            .contains("UTF-16 or UTF-32"));
  }

  @Test
  void theDocumentedInputsRequest() {
    // curl .../invocations -H "Content-Type:application/json;" --data '{"inputs": [[1, 2], ...]}'
    PredictionInput input =
        codec.decode(request("application/json;", "{\"inputs\": [[1, 2], [3, 4], [5, 6]]}"));
    assertNull(input.columns());
    assertEquals("[[1, 2], [3, 4], [5, 6]]", input.data().toString());
    assertEquals(3, input.rowCount());
  }

  @Test
  void theDocumentedInstancesAndRaggedInputs() {
    PredictionInput instances = json("{\"instances\": [1.0, 2.0, 5.0]}");
    assertEquals("[[1.0],[2.0],[5.0]]", instances.data().toString());
    PredictionInput ragged = json("{\"inputs\": [[\"Cheese\"], [\"and\", \"Crackers\"]]}");
    assertEquals("[[\"Cheese\"], [\"and\", \"Crackers\"]]", ragged.data().toString());
    assertTrue(!ragged.isMergeable(), "ragged rows reach the model alone, as pandas takes them");
  }

  @Test
  void theDocumentedColumnarInputsWithParams() {
    PredictionInput input =
        json(
            """
            {
                "inputs": {"question": ["What color is it?"],
                           "context": ["Some people said it was green but I know that it is pink."]},
                "params": {"max_answer_len": 10}
            }""");
    assertEquals("[\"question\",\"context\"]", columns(input));
    assertEquals(
        "[[\"What color is it?\",\"Some people said it was green but I know that it is pink.\"]]",
        input.data().toString());
  }

  @Test
  void dataframeSplitIsOdahusColumnsAndData() {
    PredictionInput input =
        json(
            "{\"dataframe_split\": {\"columns\": [\"a\", \"b\", \"c\"], \"index\": [7, 8],"
                + " \"data\": [[1, 2, 3], [4, 5, 6]]}}");
    assertEquals("[\"a\",\"b\",\"c\"]", columns(input));
    assertEquals("[[1,2,3],[4,5,6]]", input.data().toString());
    assertEquals(
        "Invalid input. 3 columns passed, passed data had 2 columns (\"dataframe_split\").",
        refusal("{\"dataframe_split\": {\"columns\": [\"a\", \"b\", \"c\"], \"data\": [[1, 2]]}}"));
    // pandas fills short rows with missing values.
    PredictionInput ragged =
        json("{\"dataframe_split\": {\"columns\": [\"a\", \"b\"], \"data\": [[1, 2], [3]]}}");
    assertEquals("[[1,2],[3,null]]", ragged.data().toString());
    assertEquals(
        "[[1,2],[3,null]]",
        json("{\"dataframe_split\": {\"data\": [[1, 2], [3]]}}").data().toString());
  }

  @Test
  void instancesMayBeColumnsAndParamsNull() {
    PredictionInput columnar =
        json("{\"instances\": {\"a\": [1, 2], \"b\": [3, 4]}, \"params\": null}");
    assertEquals("[\"a\",\"b\"]", columns(columnar));
    assertEquals("[[1,3],[2,4]]", columnar.data().toString());
    assertEquals(
        "Invalid input. Ensure that input is a valid JSON formatted string. Error: Expecting"
            + " value: line 1 column 1 (char 0)",
        refusal(""));
  }

  @Test
  void recordsAreTheUnionOfTheirKeysInOrder() {
    PredictionInput records =
        json(
            "{\"dataframe_records\": [{\"a\": 1, \"b\": 2, \"c\": 3}, {\"a\": 4, \"c\": 6, \"d\": 0}]}");
    assertEquals("[\"a\",\"b\",\"c\",\"d\"]", columns(records));
    assertEquals("[[1,2,3,null],[4,null,6,0]]", records.data().toString());
    // the documented instances of records, with list values
    PredictionInput instances =
        json(
            """
            {"instances": [
                {"a": "s1", "b": 1, "c": [1, 2, 3]},
                {"a": "s2", "b": 2, "c": [4, 5, 6]},
                {"a": "s3", "b": 3, "c": [7, 8, 9]}
            ]}""");
    assertEquals("[\"a\",\"b\",\"c\"]", columns(instances));
    assertEquals(
        "[[\"s1\",1,[1, 2, 3]],[\"s2\",2,[4, 5, 6]],[\"s3\",3,[7, 8, 9]]]",
        instances.data().toString());
  }

  @Test
  void pythonsNonFiniteLiteralsPassAsMlflowsJsonLoadsReadsThem() {
    PredictionInput split =
        json(
            "{\"dataframe_split\": {\"columns\": [\"a\", \"+Inf\"],"
                + " \"data\": [[NaN, 1.5], [Infinity, -Infinity]]}}");
    assertEquals("[\"a\",\"+Inf\"]", columns(split));
    assertEquals("[[NaN,1.5],[Infinity,-Infinity]]", split.data().toString());
    assertArrayEquals(
        new double[] {Double.NaN, 1.5, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY},
        split.numbers(),
        "numbers, as numpy takes them with --input-matrix ndarray");
    assertArrayEquals(
        split.numbers(), split.floats(), "all floats to Python's json: packed for lists too");
    assertEquals(
        "[[NaN,-Infinity]]",
        json("{\"dataframe_records\": [{\"a\": NaN, \"b\": -Infinity}]}").data().toString());
    assertEquals(
        "Invalid input. Ensure that input is a valid JSON formatted string. Error: Unrecognized"
            + " token '+Infinity': the only non-finite numbers are NaN, Infinity and -Infinity",
        refusal("{\"inputs\": [[+Infinity]]}"));
    assertTrue(refusal("{\"inputs\": [[nan]]}").contains("Unrecognized token 'nan'"));
  }

  @Test
  void formatMistakesGetMlflowsMessages() {
    String required =
        "The input must be a JSON dictionary with exactly one of the input fields"
            + " {'dataframe_split', 'dataframe_records', 'instances', 'inputs'}.";
    assertEquals(required + " Received a list.", refusal("[{\"a\": 1}]"));
    assertEquals(
        required + " Received dictionary with input fields: ['inputs', 'instances'].",
        refusal("{\"inputs\": [[1]], \"instances\": [[1]]}"));
    assertEquals(
        required + " Received dictionary with input fields: ['data'].",
        refusal("{\"data\": [[1]]}"));
    // A repeated key is one field of json.loads' dict, with its last value, as MLflow reads it.
    PredictionInput last =
        json(
            "{\"dataframe_split\": {\"columns\": [\"a\"], \"data\": [[1]]},"
                + " \"dataframe_split\": {\"columns\": [\"b\"], \"data\": [[2]]}}");
    assertEquals("[\"b\"]", columns(last));
    assertEquals("[[2]]", last.data().toString());
    assertEquals(
        required + " Received dictionary with input fields: ['inputs', 'data', 'instances'].",
        refusal("{\"inputs\": [[1]], \"data\": 1, \"inputs\": [[2]], \"instances\": [[1]]}"));
    assertTrue(
        refusal("{\"inputs\": ").startsWith("Invalid input. Ensure that input is a valid JSON"));
    assertEquals(
        "Invalid input. \"params\" must be a JSON object.",
        refusal("{\"inputs\": [[1]], \"params\": 1}"));
    assertEquals(
        "Invalid input. The length of values for each input/column name are not the same.",
        refusal("{\"inputs\": {\"a\": [1, 2], \"b\": [1]}}"));
    assertEquals("Invalid input. The input has no rows.", refusal("{\"inputs\": []}"));
    assertEquals(
        "Invalid input. \"instances\" mixes rows (lists) with single values.",
        refusal("{\"instances\": [[1], 2]}"));
  }

  @Test
  void csvIsReadAsPandasReadsIt() {
    PredictionInput input =
        codec.decode(
            request(
                "text/csv; charset=utf-8",
                "i,f,s,b,,i\n1,1.5,x,True,NA,007\n2,2,\"y, z\",false,,+3\n\n3,.5,,TRUE\n"));
    assertEquals("[\"i\",\"f\",\"s\",\"b\",\"Unnamed: 4\",\"i.1\"]", columns(input));
    assertEquals(
        "[[1,1.5,\"x\",true,null,7.0],[2,2.0,\"y, z\",false,null,3.0],[3,0.5,null,true,null,null]]",
        input.data().toString());
  }

  /** pandas makes a column float64 when one value is a float or missing: every value is a float. */
  @Test
  void csvFloatColumnsHoldFloatsOnly() {
    PredictionInput input = codec.decode(request("text/csv", "a,b,c,d\n1,1e5,-0,1\n2.0,2,1.5,\n"));
    assertEquals("[[1.0,1e5,-0.0,1.0],[2.0,2.0,1.5,null]]", input.data().toString());
  }

  @Test
  void aCsvThatCannotBeReadSaysWhereWithoutQuotingIt() {
    String message =
        assertThrows(
                InvalidInputException.class,
                () -> codec.decode(request("text/csv", "a,b\n\"1,2\n")))
            .getMessage();
    assertTrue(
        message.endsWith("Error: 'Missing closing quote for value at line 3, column 1'"), message);
  }

  @Test
  void csvInfinitiesAreNumbersAsPandasReadsThem() {
    // pandas.read_csv: inf and infinity in any case, signed or not, are float; 1e400 is a string.
    PredictionInput input =
        codec.decode(request("text/csv", "a,b,c\n1,x,1\n-inf,+Infinity,1e400\nINF,iNf,2\n"));
    assertEquals(
        "[[1.0,\"x\",\"1\"],[-Infinity,\"+Infinity\",\"1e400\"],[Infinity,\"iNf\",\"2\"]]",
        input.data().toString());
  }

  @Test
  void theDocumentedCsvExampleIsOnlyAHeader() {
    // curl ... -H 'Content-Type: application/csv' --data '1,2,3,4': pandas reads a header only.
    InvalidInputException refused =
        assertThrows(
            InvalidInputException.class, () -> codec.decode(request("application/csv", "1,2,3,4")));
    assertTrue(refused.getMessage().contains("a header line and no rows"), refused.getMessage());
    assertEquals(
        "Invalid input. Expected 2 fields in line 3, saw 3",
        assertThrows(
                InvalidInputException.class,
                () -> codec.decode(request("text/csv", "a,b\n1,2\n1,2,3\n")))
            .getMessage());
    assertEquals(
        "Invalid input. Expected 3 fields in line 3, saw 4",
        assertThrows(
                InvalidInputException.class,
                () -> codec.decode(request("text/csv", "a,b\n0,1,2\n1,1,2,3\n")))
            .getMessage());
  }

  @Test
  void csvEdgesAsPandasReadsThem() {
    // to_csv(index_label=False): one field more than names; the first is the rows' index.
    PredictionInput indexed = codec.decode(request("text/csv", "a,b\n7,1,2\n8,3\n"));
    assertEquals("[\"a\",\"b\"]", columns(indexed));
    assertEquals("[[1,2.0],[3,null]]", indexed.data().toString());
    // Lines of spaces are blank lines; hexadecimal floats and integers beyond uint64 are text.
    PredictionInput edges =
        codec.decode(
            request(
                "text/csv",
                "a,b,c,d\n1,0x1p3,18446744073709551616,18446744073709551615\n \t\n2,1,1,0\n"));
    assertEquals(
        "[[1,\"0x1p3\",\"18446744073709551616\",18446744073709551615],[2,\"1\",\"1\",0]]",
        edges.data().toString());
  }

  @Test
  void otherContentTypesAre415AsMlflowAnswers() {
    for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", null}) {
      RequestRejectedException refused =
          assertThrows(RequestRejectedException.class, () -> codec.decode(request(type, "{}")));
      assertEquals(415, refused.error().status());
      assertTrue(
          refused
              .getMessage()
              .startsWith(
                  "This predictor only supports the following content types: Types: ['text/csv',"
                      + " 'application/json']. Got '"),
          refused.getMessage());
    }
    assertEquals(
        "The scoring server only supports UTF-8",
        assertThrows(
                RequestRejectedException.class,
                () -> codec.decode(request("application/json; charset=latin-1", "{}")))
            .getMessage());
    assertEquals(
        "Unrecognized content type parameters: format.",
        assertThrows(
                RequestRejectedException.class,
                () -> codec.decode(request("application/json; format=pandas-split", "{}")))
            .getMessage());
  }

  static Prediction answer(String prediction, String columns) {
    return new Prediction(
        prediction.getBytes(StandardCharsets.UTF_8),
        columns.getBytes(StandardCharsets.UTF_8),
        new Prediction.Timings(0, 0, 1, 1));
  }

  String encoded(String prediction, String columns) {
    return codec.encode(answer(prediction, columns), request("application/json", "")).bodyText();
  }

  @Test
  void answersHaveMlflowsShapes() {
    // NumPy's 1-D array: its list
    assertEquals("{\"predictions\": [6.388]}", encoded("[6.388]", "[\"quality\"]"));
    // a DataFrame: its records, one or more columns
    assertEquals("{\"predictions\": [{\"quality\":6.388}]}", encoded("[[6.388]]", "[\"quality\"]"));
    assertEquals(
        "{\"predictions\": [{\"a\":1,\"b\":\"x\"},{\"a\":2,\"b\":\"y\"}]}",
        encoded("[[1,\"x\"],[2,\"y\"]]", "[\"a\",\"b\"]"));
    // without one name per column: the array as it is
    assertEquals("{\"predictions\": [[1,2]]}", encoded("[[1,2]]", "[\"a\"]"));
    assertEquals("{\"predictions\": [[1,2]]}", encoded("[[1,2]]", "[]"));
  }

  @Test
  void errorsHaveMlflowsShapeAndCodes() {
    assertEquals(
        "{\"error_code\": \"BAD_REQUEST\", \"message\": \"bad \\\"x\\\"\"}",
        codec.encode(ApiError.of(400, "bad \"x\"")).bodyText());
    assertEquals(
        "TEMPORARILY_UNAVAILABLE",
        codec.encode(ApiError.of(503, "full")).bodyText().split("\"", -1)[3]);
    assertEquals(
        "DEADLINE_EXCEEDED", codec.encode(ApiError.of(504, "slow")).bodyText().split("\"", -1)[3]);
    assertEquals(
        "INTERNAL_ERROR", codec.encode(ApiError.of(500, "boom")).bodyText().split("\"", -1)[3]);
    assertEquals(
        "ENDPOINT_NOT_FOUND", codec.encode(ApiError.of(404, "no")).bodyText().split("\"", -1)[3]);
  }

  @Test
  void aModelsExceptionIsABadRequestAsMlflowAnswersIt() {
    ApiResponse response =
        codec.encode(
            new ApiError(500, "Exception during prediction: Input X contains NaN", Map.of(), true));
    assertEquals(400, response.status());
    assertEquals(
        "{\"error_code\": \"BAD_REQUEST\", \"message\": \"Encountered an unexpected error while"
            + " evaluating the model. Verify that the serialized input Dataframe is compatible with"
            + " the model for inference. Exception during prediction: Input X contains NaN\"}",
        response.bodyText());
  }
}
