package org.odahu.pack.server.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.odahu.pack.gppi.RequestJson;
import org.odahu.pack.logging.RateLimitedLog;
import org.odahu.pack.server.capture.Capture;
import org.odahu.pack.server.capture.CaptureRecord;

/**
 * ODAHU's feedback collector ({@code POST /api/v1/feedback/*any}) for the served model: checks the
 * {@code request-id}, {@code model-name} and {@code model-version} headers, keeps a JSON body as
 * {@code payload.json}, stores a {@code feedback} record and answers with what it stored. It
 * answers 200 only once the record is stored, and 502 {@code Cannot deliver message} (ODAHU's
 * answer when fluentd was unreachable) when it is not: capture off, queue full, disk full, or not
 * stored within the delivery timeout. Only the served model's name and version are accepted, so
 * that clients cannot create files and directories at will.
 */
public final class Feedback {
  /**
   * The collector's error shape, {@code {"error": "..."}}, also for what the server refuses before
   * the collector sees a request (413, 417, 503, ...).
   */
  public static final ErrorEncoder ERRORS =
      error -> error(error.status(), error.message()).withHeaders(error.headers());

  private static final ObjectMapper JSON = new ObjectMapper(RequestJson.factory());
  private static final String JSON_TYPE = "application/json; charset=utf-8";

  /** What reading one value builds: its node, its text and its slot in an array or object. */
  private static final int NODE_BYTES = 80;

  private final String modelName;
  private final String modelVersion;
  private final Capture capture;
  private final Duration deliveryTimeout;
  private final RateLimitedLog unreadBodies =
      new RateLimitedLog(System.getLogger(Feedback.class.getName()), 60, TimeUnit.SECONDS);

  /**
   * @param modelName the served model's name, the only one accepted
   * @param modelVersion the served model's version, the only one accepted
   * @param capture where records are stored
   * @param deliveryTimeout how long to wait for a record to be stored before answering 502
   */
  public Feedback(
      String modelName, String modelVersion, Capture capture, Duration deliveryTimeout) {
    this.modelName = modelName;
    this.modelVersion = modelVersion;
    this.capture = capture;
    this.deliveryTimeout = deliveryTimeout;
  }

  /**
   * Whether a {@code model-name} or {@code model-version} header names {@code expected}: as written
   * (raw UTF-8 bytes are read as UTF-8 by the edge, {@link HeaderValues}), or as the server's own
   * {@code Model-Name} header gives it (a non-ASCII name percent-encoded).
   */
  private static boolean names(String header, String expected) {
    return header.equals(expected) || header.equals(ModelIdentity.headerValue(expected));
  }

  /**
   * Handles one feedback request; the answer completes once the record is stored or lost.
   *
   * @param header the request's header values by lower-case name ({@code null} when absent)
   * @param body the request body
   */
  public CompletionStage<ApiResponse> handle(Function<String, String> header, byte[] body) {
    return handle(header, body, DecodeMemory.UNBOUNDED);
  }

  /**
   * As {@link #handle(Function, byte[])}, charging {@code memory} for the JSON tree of the body.
   *
   * @throws RequestRejectedException if the tree does not fit in {@code memory}
   */
  public CompletionStage<ApiResponse> handle(
      Function<String, String> header, byte[] body, DecodeMemory memory) {
    String requestId = header.apply("request-id");
    if (requestId == null || requestId.isEmpty()) {
      return answer(error(400, "request-id header is missed"));
    }
    String name = header.apply("model-name");
    String version = header.apply("model-version");
    if (name == null || name.isEmpty() || version == null || version.isEmpty()) {
      return answer(error(400, "model-name or model-version header is empty"));
    }
    if (!names(name, modelName) || !names(version, modelVersion)) {
      return answer(
          error(
              400,
              String.format(
                  "This server takes feedback for model-name %s and model-version %s only, got %s"
                      + " and %s",
                  modelName, modelVersion, name, version)));
    }
    ObjectNode payload = JSON.createObjectNode();
    String contentType = header.apply("content-type");
    if (isJson(contentType)) {
      JsonNode parsed = parse(body, memory);
      if (parsed == null) {
        return answer(error(400, "Cannot parse data"));
      }
      payload.set("json", parsed);
    } else if (body.length > 0) {
      // As ODAHU's collector: stored with an empty payload. Said, since curl -d sends a form.
      unreadBodies.warn(
          "Feedback "
              + requestId
              + ": its body ("
              + body.length
              + " bytes) is not read, since its Content-Type is "
              + (contentType == null ? "missing" : contentType)
              + ", not application/json; the record's payload is {}");
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("request_id", requestId);
    fields.put("model_version", modelVersion);
    fields.put("model_name", modelName);
    fields.put("payload", payload);
    CaptureRecord record =
        new CaptureRecord(CaptureRecord.FEEDBACK, modelName, modelVersion, Instant.now(), fields);
    return capture
        .store(record)
        .toCompletableFuture()
        .orTimeout(deliveryTimeout.toNanos(), TimeUnit.NANOSECONDS)
        .handle(
            (stored, failure) ->
                failure == null
                    ? stored(requestId, payload)
                    : error(502, "Cannot deliver message"));
  }

  private static CompletionStage<ApiResponse> answer(ApiResponse response) {
    return CompletableFuture.completedFuture(response);
  }

  /**
   * The JSON body, or {@code null} when it is empty or not JSON. The tree is what the capture queue
   * holds and counts from then on.
   */
  private static JsonNode parse(byte[] body, DecodeMemory memory) {
    if (body.length == 0) {
      return null;
    }
    try (JsonParser parser = memory.counting(JSON.createParser(body), NODE_BYTES)) {
      JsonNode tree = JSON.readTree(parser);
      // Blank, or with something after the value: Go's json.Unmarshal refuses both.
      if (tree == null || tree.isMissingNode() || parser.nextToken() != null) {
        return null;
      }
      return asGoReadsIt(tree) ? tree : null;
    } catch (IOException e) {
      return null;
    } finally {
      memory.release();
    }
  }

  /**
   * Whether ODAHU's collector (Go's {@code encoding/json}) could read {@code node}, made what it
   * would have read: a number beyond float64 ({@code 1e400}) is an error there, where Jackson reads
   * an infinity (which the record would hold as the string "Infinity"), and an unpaired surrogate
   * escape in a string becomes U+FFFD, where the record would hold {@code ?} while the answer
   * echoed the surrogate. Changes {@code node}'s strings in place.
   */
  private static boolean asGoReadsIt(JsonNode node) {
    if (node.isNumber()) {
      return Double.isFinite(node.doubleValue());
    }
    if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        JsonNode element = array.get(i);
        if (element.isTextual()) {
          array.set(i, TextNode.valueOf(wellFormed(element.textValue())));
        } else if (!asGoReadsIt(element)) {
          return false;
        }
      }
    } else if (node instanceof ObjectNode object) {
      // Names need nothing: Jackson refuses an unpaired surrogate in one.
      for (Map.Entry<String, JsonNode> field : object.properties()) {
        JsonNode value = field.getValue();
        if (value.isTextual()) {
          field.setValue(TextNode.valueOf(wellFormed(value.textValue())));
        } else if (!asGoReadsIt(value)) {
          return false;
        }
      }
    }
    return true;
  }

  /** {@code text} with each unpaired surrogate replaced by U+FFFD. */
  private static String wellFormed(String text) {
    StringBuilder fixed = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean paired =
          Character.isHighSurrogate(c)
              && i + 1 < text.length()
              && Character.isLowSurrogate(text.charAt(i + 1));
      if (paired) {
        if (fixed != null) {
          fixed.append(c).append(text.charAt(i + 1));
        }
        i++;
      } else if (Character.isSurrogate(c)) {
        if (fixed == null) {
          fixed = new StringBuilder(text.length()).append(text, 0, i);
        }
        fixed.append('\uFFFD');
      } else if (fixed != null) {
        fixed.append(c);
      }
    }
    return fixed == null ? text : fixed.toString();
  }

  private ApiResponse stored(String requestId, ObjectNode payload) {
    ObjectNode answer = JSON.createObjectNode();
    answer.put("requestID", requestId);
    answer.put("modelVersion", modelVersion);
    answer.put("modelName", modelName);
    answer.set("payload", payload);
    return json(200, answer);
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

  private static ApiResponse error(int status, String message) {
    return json(status, JSON.createObjectNode().put("error", message));
  }

  private static ApiResponse json(int status, ObjectNode body) {
    try {
      return new ApiResponse(status, JSON.writeValueAsBytes(body), JSON_TYPE, Map.of());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
