package org.odahu.pack.server.http;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.odahu.pack.server.capture.Capture;
import org.odahu.pack.server.capture.CaptureRecord;

/**
 * The two records ODAHU's rq-catcher stored for each prediction ({@code request_response}, then
 * {@code response_body}), built from the request and the response as sent and offered to {@link
 * Capture}; built not at all when capture is off. Prohibited headers never reach a record; the
 * credentials in the target and in headers carrying URLs are redacted ({@link QuerySecrets}). A
 * request with a valid W3C {@code traceparent} gets {@code trace_id} and {@code span_id} in its
 * {@code request_response} record.
 */
public final class PredictionCapture {
  /**
   * Request headers that carry the request's URL, or the page's that linked to it, as proxies and
   * browsers send them: their credentials are redacted as the request target's are.
   */
  private static final Set<String> URI_HEADERS =
      Set.of(
          "referer",
          "x-forwarded-uri",
          "x-envoy-original-path",
          "x-original-url",
          "x-original-uri");

  private final Capture capture;
  private final ModelIdentity model;
  private final Set<String> prohibitedHeaders;

  /**
   * @param capture where the records go ({@link Capture#disabled()} when off)
   * @param model the served model, named in every record
   * @param prohibitedHeaders lower-case names of headers never stored
   */
  public PredictionCapture(Capture capture, ModelIdentity model, Set<String> prohibitedHeaders) {
    this.capture = capture;
    this.model = model;
    this.prohibitedHeaders = Set.copyOf(prohibitedHeaders);
  }

  /** The model named in the records. */
  ModelIdentity model() {
    return model;
  }

  /**
   * Offers the records of {@code request} answered by {@code response}, when capture is on; {@code
   * api} names the API the request spoke (the {@code api} field of its {@code request_response}
   * record).
   */
  void record(ApiRequest request, ApiResponse response, String api) {
    if (!capture.enabled()) {
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
                requestResponse(request, response, api)),
            new CaptureRecord(
                CaptureRecord.RESPONSE_BODY,
                model.name(),
                model.version(),
                now,
                responseBody(request, response)))) {
      var unused = capture.offer(record); // capture counts the records it cannot take
    }
  }

  private Map<String, Object> requestResponse(
      ApiRequest request, ApiResponse response, String api) {
    Map<String, String> requestHeaders = request.headerMap(prohibitedHeaders);
    requestHeaders.replaceAll(
        (name, value) -> URI_HEADERS.contains(name) ? QuerySecrets.redact(value) : value);
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("request_id", request.requestId());
    fields.put("request_http_headers", requestHeaders);
    fields.put(
        "request_content", new String(request.body(), java.nio.charset.StandardCharsets.UTF_8));
    fields.put(
        "request_uri",
        requestHeaders.getOrDefault("x-original-uri", QuerySecrets.redact(request.uri())));
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
    TraceParent trace = request.trace();
    if (trace != null) {
      // Not an ODAHU field: there only when the client sent a valid traceparent.
      fields.put("trace_id", trace.traceId());
      fields.put("span_id", trace.parentId());
    }
    fields.put("api", api);
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
