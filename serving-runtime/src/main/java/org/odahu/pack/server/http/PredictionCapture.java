package org.odahu.pack.server.http;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.odahu.pack.server.capture.CaptureRecord;

/**
 * The two records ODAHU's rq-catcher stored for each prediction ({@code request_response}, then
 * {@code response_body}), built from the request and the response as sent and offered to a sink; or
 * nothing, when capture is off. Prohibited headers never reach a record.
 */
public final class PredictionCapture {
  private final Predicate<CaptureRecord> sink;
  private final ModelIdentity model;
  private final Set<String> prohibitedHeaders;

  private PredictionCapture(
      Predicate<CaptureRecord> sink, ModelIdentity model, Set<String> prohibitedHeaders) {
    this.sink = sink;
    this.model = model;
    this.prohibitedHeaders = Set.copyOf(prohibitedHeaders);
  }

  /** No capture. */
  public static PredictionCapture off() {
    return new PredictionCapture(null, null, Set.of());
  }

  /**
   * Capture into {@code sink}, which takes a record or says it could not (it counts its drops).
   *
   * @param prohibitedHeaders lower-case names of headers never stored
   */
  public static PredictionCapture to(
      Predicate<CaptureRecord> sink, ModelIdentity model, Set<String> prohibitedHeaders) {
    return new PredictionCapture(sink, model, prohibitedHeaders);
  }

  /** Offers the records of {@code request} answered by {@code response}. */
  void record(ApiRequest request, ApiResponse response) {
    if (sink == null) {
      return;
    }
    Instant now = Instant.now();
    for (CaptureRecord record :
        List.of(
            new CaptureRecord(
                CaptureRecord.REQUEST_RESPONSE,
                model.name(),
                model.version(),
                now,
                requestResponse(request, response)),
            new CaptureRecord(
                CaptureRecord.RESPONSE_BODY,
                model.name(),
                model.version(),
                now,
                responseBody(request, response)))) {
      var unused = sink.test(record); // the sink counts the records it cannot take
    }
  }

  private Map<String, Object> requestResponse(ApiRequest request, ApiResponse response) {
    Map<String, String> requestHeaders = request.headerMap(prohibitedHeaders);
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("request_id", request.requestId());
    fields.put("request_http_headers", requestHeaders);
    fields.put(
        "request_content", new String(request.body(), java.nio.charset.StandardCharsets.UTF_8));
    fields.put("request_uri", requestHeaders.getOrDefault("x-original-uri", request.uri()));
    fields.put("response_status", Integer.toString(response.status()));
    fields.put(
        "response_http_headers",
        ApiRequest.headerMap(
            ResponseHeaders.of(response, request.requestId(), model), prohibitedHeaders));
    fields.put(
        "request_host",
        requestHeaders.getOrDefault("x-forwarded-host", requestHeaders.get("host")));
    fields.put("model_version", model.version());
    fields.put("model_name", model.name());
    fields.put("request_http_method", request.method());
    return fields;
  }

  private Map<String, Object> responseBody(ApiRequest request, ApiResponse response) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("request_id", request.requestId());
    fields.put("model_version", model.version());
    fields.put("model_name", model.name());
    fields.put("response_content", response.bodyText());
    return fields;
  }
}
