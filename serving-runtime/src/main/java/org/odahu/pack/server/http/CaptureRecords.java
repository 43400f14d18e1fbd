package org.odahu.pack.server.http;

import io.netty.handler.codec.http.HttpHeaders;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.odahu.pack.server.capture.CaptureRecord;

/** Builds the two records ODAHU's rq-catcher stores for an invoke, in the order it stores them. */
final class CaptureRecords {
  private CaptureRecords() {}

  /**
   * The {@code request_response} and {@code response_body} records of {@code exchange}, whose
   * request headers and body were captured, answered by {@code response} with {@code
   * responseHeaders}.
   */
  static List<CaptureRecord> forInvoke(
      ServerContext server, Exchange exchange, ApiResponse response, HttpHeaders responseHeaders) {
    Instant now = Instant.now();
    return List.of(
        new CaptureRecord(
            CaptureRecord.REQUEST_RESPONSE,
            server.modelName(),
            server.modelVersion(),
            now,
            requestResponse(server, exchange, response, responseHeaders)),
        new CaptureRecord(
            CaptureRecord.RESPONSE_BODY,
            server.modelName(),
            server.modelVersion(),
            now,
            responseBody(server, exchange, response)));
  }

  private static Map<String, Object> requestResponse(
      ServerContext server, Exchange exchange, ApiResponse response, HttpHeaders responseHeaders) {
    Map<String, String> requestHeaders = exchange.capturedHeaders;
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("request_id", exchange.requestId);
    fields.put("request_http_headers", requestHeaders);
    fields.put("request_content", exchange.capturedBody);
    fields.put("request_uri", requestHeaders.getOrDefault("x-original-uri", exchange.uri));
    fields.put("response_status", Integer.toString(response.status().code()));
    fields.put(
        "response_http_headers",
        Exchange.headerMap(responseHeaders, server.config().prohibitedHeaders()));
    fields.put(
        "request_host",
        requestHeaders.getOrDefault("x-forwarded-host", requestHeaders.get("host")));
    fields.put("model_version", server.modelVersion());
    fields.put("model_name", server.modelName());
    fields.put("request_http_method", exchange.method);
    return fields;
  }

  private static Map<String, Object> responseBody(
      ServerContext server, Exchange exchange, ApiResponse response) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("request_id", exchange.requestId);
    fields.put("model_version", server.modelVersion());
    fields.put("model_name", server.modelName());
    fields.put("response_content", response.bodyText());
    return fields;
  }
}
