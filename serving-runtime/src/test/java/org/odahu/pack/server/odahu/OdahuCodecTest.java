package org.odahu.pack.server.odahu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.odahu.pack.gppi.Prediction;
import org.odahu.pack.server.http.ApiError;
import org.odahu.pack.server.http.ApiResponse;

class OdahuCodecTest {
  private final OdahuCodec codec = new OdahuCodec();

  private static Prediction prediction(String values, String columns) {
    return new Prediction(
        values.getBytes(StandardCharsets.UTF_8),
        columns.getBytes(StandardCharsets.UTF_8),
        new Prediction.Timings(0, 0, 1, 1));
  }

  @Test
  void answersAsOdahusServerAndCli() {
    Prediction answer = prediction("[6.5,null]", "[\"quality\"]");
    ApiResponse response = codec.encode(answer, null);
    assertEquals(200, response.status());
    assertEquals("application/json", response.contentType());
    assertEquals("{\"prediction\":[6.5,null],\"columns\":[\"quality\"]}", response.bodyText());
    assertEquals(
        "{\"prediction\": [6.5, null], \"columns\": [\"quality\"]}",
        new String(
            OdahuCodec.pythonStyleJson(prediction("[6.5, null]", "[\"quality\"]")),
            StandardCharsets.UTF_8));
  }

  /** A float32 answer: its own digits on ODAHU's server (orjson), widened in the batch CLI's. */
  @Test
  void float32AnswersKeepTheirOwnDigitsOnTheServer() {
    Prediction answer =
        new Prediction(
            "[0.10000000149011612]".getBytes(StandardCharsets.UTF_8),
            "[\"p\"]".getBytes(StandardCharsets.UTF_8),
            new Prediction.Timings(0, 0, 1, 1),
            "[0.1]".getBytes(StandardCharsets.UTF_8));
    assertEquals(
        "{\"prediction\":[0.1],\"columns\":[\"p\"]}", codec.encode(answer, null).bodyText());
    assertEquals(
        "{\"prediction\": [0.10000000149011612], \"columns\": [\"p\"]}",
        new String(OdahuCodec.pythonStyleJson(answer), StandardCharsets.UTF_8));
  }

  @Test
  void aLoneSurrogateInAnErrorIsWrittenAsItsEscape() {
    ApiResponse response = codec.encode(new ApiError(500, "bad " + (char) 0xDCFF + "!", Map.of()));
    assertEquals("{\"message\": \"bad \\udcff!\"}", response.bodyText());
  }

  @Test
  void errorsAreOdahusMessageObjectWithTheirStatusAndHeaders() {
    ApiResponse response =
        codec.encode(
            new ApiError(503, "full \"queue\"\n é\u0001\u007f😀", Map.of("Retry-After", "1")));
    assertEquals(503, response.status());
    // As json.dumps writes it (ensure_ascii): ASCII only, lower-case hex, a pair as two escapes.
    assertEquals(
        "{\"message\": \"full \\\"queue\\\"\\n \\u00e9\\u0001\\u007f\\ud83d\\ude00\"}",
        response.bodyText());
    assertEquals(Map.of("Retry-After", "1"), response.headers());
    assertEquals("application/json", response.contentType());
  }
}
