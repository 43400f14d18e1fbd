package org.odahu.pack.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.odahu.pack.server.capture.CaptureRecord;

/** ODAHU's feedback collector contract (spec §6.2), without Netty. */
class FeedbackTest {
  private final List<CaptureRecord> stored = new ArrayList<>();

  private ApiResponse feedback(String body, String... headers) {
    Map<String, String> byName = new java.util.HashMap<>();
    for (int i = 0; i < headers.length; i += 2) {
      byName.put(headers[i].toLowerCase(Locale.ROOT), headers[i + 1]);
    }
    return Feedback.handle(byName::get, body.getBytes(StandardCharsets.UTF_8), stored::add);
  }

  private static final String[] IDENTITY = {
    "request-id", "r-1", "model-name", "wine", "model-version", "1.0"
  };

  private static String[] with(String... more) {
    String[] all = java.util.Arrays.copyOf(IDENTITY, IDENTITY.length + more.length);
    System.arraycopy(more, 0, all, IDENTITY.length, more.length);
    return all;
  }

  @Test
  void aJsonBodyIsStoredAsPayloadJsonAndEchoed() {
    ApiResponse response =
        feedback("{\"truth\": [1, 2]}", with("Content-Type", "application/json; charset=utf-8"));
    assertEquals(200, response.status());
    assertEquals("application/json; charset=utf-8", response.contentType());
    assertEquals(
        "{\"requestID\":\"r-1\",\"modelVersion\":\"1.0\",\"modelName\":\"wine\","
            + "\"payload\":{\"json\":{\"truth\":[1,2]}}}",
        response.bodyText());
    CaptureRecord record = stored.get(0);
    assertEquals(CaptureRecord.FEEDBACK, record.tag());
    assertEquals("wine", record.modelName());
    assertEquals("1.0", record.modelVersion());
    assertEquals(
        "{request_id=r-1, model_version=1.0, model_name=wine, payload={\"json\":{\"truth\":[1,2]}}}",
        record.fields().toString());
  }

  @Test
  void aBodyThatIsNotDeclaredJsonGivesAnEmptyPayload() {
    ApiResponse response = feedback("{\"truth\": 1}", with("Content-Type", "text/plain"));
    assertEquals(200, response.status());
    assertEquals(
        "{\"requestID\":\"r-1\",\"modelVersion\":\"1.0\",\"modelName\":\"wine\",\"payload\":{}}",
        response.bodyText());
    assertEquals("{}", stored.get(0).fields().get("payload").toString());
  }

  @Test
  void unparsableJsonIs400() {
    ApiResponse response = feedback("{\"truth\": ", with("Content-Type", "application/json"));
    assertEquals(400, response.status());
    assertEquals("{\"error\":\"Cannot parse data\"}", response.bodyText());
    assertEquals(List.of(), stored);
  }

  @Test
  void onlyTheRequestIdHeaderCountsNotXRequestId() {
    ApiResponse response =
        feedback("{}", "x-request-id", "r-1", "model-name", "wine", "model-version", "1.0");
    assertEquals(400, response.status());
    assertEquals("{\"error\":\"request-id header is missed\"}", response.bodyText());
    assertEquals(List.of(), stored);
  }
}
