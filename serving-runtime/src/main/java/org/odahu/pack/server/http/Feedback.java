package org.odahu.pack.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.odahu.pack.server.capture.CaptureRecord;

/**
 * ODAHU's feedback collector ({@code POST /api/v1/feedback/*any}): checks the {@code request-id},
 * {@code model-name} and {@code model-version} headers, keeps a JSON body as {@code payload.json},
 * stores a {@code feedback} record and answers with what it stored.
 */
public final class Feedback {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Feedback() {}

  /**
   * Handles one feedback request.
   *
   * @param header the request's header values by lower-case name ({@code null} when absent)
   * @param body the request body
   * @param store takes the record; false when it cannot be delivered (no capture, queue full)
   */
  public static ApiResponse handle(
      java.util.function.Function<String, String> header,
      byte[] body,
      Predicate<CaptureRecord> store) {
    String requestId = header.apply("request-id");
    if (requestId == null || requestId.isEmpty()) {
      return error(HttpResponseStatus.BAD_REQUEST, "request-id header is missed");
    }
    String modelName = header.apply("model-name");
    String modelVersion = header.apply("model-version");
    if (modelName == null
        || modelName.isEmpty()
        || modelVersion == null
        || modelVersion.isEmpty()) {
      return error(HttpResponseStatus.BAD_REQUEST, "model-name or model-version header is empty");
    }
    ObjectNode payload = JSON.createObjectNode();
    if (isJson(header.apply("content-type"))) {
      try {
        JsonNode parsed = body.length == 0 ? null : JSON.readTree(body);
        if (parsed == null) {
          return error(HttpResponseStatus.BAD_REQUEST, "Cannot parse data");
        }
        payload.set("json", parsed);
      } catch (IOException e) {
        return error(HttpResponseStatus.BAD_REQUEST, "Cannot parse data");
      }
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("request_id", requestId);
    fields.put("model_version", modelVersion);
    fields.put("model_name", modelName);
    fields.put("payload", payload);
    if (!store.test(
        new CaptureRecord(
            CaptureRecord.FEEDBACK, modelName, modelVersion, Instant.now(), fields))) {
      return error(HttpResponseStatus.BAD_GATEWAY, "Cannot deliver message");
    }
    ObjectNode answer = JSON.createObjectNode();
    answer.put("requestID", requestId);
    answer.put("modelVersion", modelVersion);
    answer.put("modelName", modelName);
    answer.set("payload", payload);
    try {
      return new ApiResponse(
          HttpResponseStatus.OK,
          JSON.writeValueAsBytes(answer),
          "application/json; charset=utf-8",
          Map.of());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Gin's JSON binding: the media type {@code application/json}, whatever its parameters. */
  private static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String mediaType = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
    return mediaType.trim().toLowerCase(Locale.ROOT).equals("application/json");
  }

  private static ApiResponse error(HttpResponseStatus status, String message) {
    ObjectNode body = JSON.createObjectNode().put("error", message);
    try {
      return new ApiResponse(
          status, JSON.writeValueAsBytes(body), "application/json; charset=utf-8", Map.of());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
