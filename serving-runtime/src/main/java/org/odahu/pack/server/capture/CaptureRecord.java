package org.odahu.pack.server.capture;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One record for the ODAHU feedback store: a {@code request_response}, {@code response_body} or
 * {@code feedback} message, as ODAHU's rq-catcher and collector post them to fluentd.
 *
 * @param tag {@code request_response}, {@code response_body} or {@code feedback}
 * @param modelName the model the record belongs to (a path segment of its file)
 * @param modelVersion the model version (a path segment of its file)
 * @param time when it happened; written as fluentd's {@code time} field
 * @param fields the record's fields, in order
 */
public record CaptureRecord(
    String tag, String modelName, String modelVersion, Instant time, Map<String, Object> fields) {
  public static final String REQUEST_RESPONSE = "request_response";
  public static final String RESPONSE_BODY = "response_body";
  public static final String FEEDBACK = "feedback";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter FLUENTD_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z").withZone(ZoneOffset.UTC);

  /**
   * About how much memory the record holds: its texts (two bytes a character) and a little for
   * everything else. What the capture queue counts against its bound.
   */
  public long heldBytes() {
    return 64 + heldBytes(fields);
  }

  /**
   * Recursive to any depth: what a record holds comes from the server or a parsed body, whose
   * nesting the JSON parser already bounds.
   */
  private static long heldBytes(Object value) {
    return switch (value) {
      case CharSequence text -> 40 + 2L * text.length();
      case JsonNode node when node.isValueNode() -> 40 + 2L * node.asText().length();
      case JsonNode node when node.isObject() -> {
        long sum = 16;
        for (Map.Entry<String, JsonNode> field : node.properties()) {
          sum += heldBytes(field.getKey()) + heldBytes(field.getValue());
        }
        yield sum;
      }
      case JsonNode node when node.isArray() -> {
        long sum = 16;
        for (JsonNode item : node) {
          sum += heldBytes(item);
        }
        yield sum;
      }
      case Map<?, ?> map ->
          map.entrySet().stream()
              .mapToLong(e -> heldBytes(e.getKey()) + heldBytes(e.getValue()))
              .sum();
      case Iterable<?> list -> {
        long sum = 0;
        for (Object item : list) {
          sum += heldBytes(item);
        }
        yield sum;
      }
      case byte[] bytes -> 16 + bytes.length;
      case null, default -> 16;
    };
  }

  /**
   * The record as fluentd stored it: one line of JSON (its fields, then {@code time}) ending in
   * {@code \n}, UTF-8. JSON escapes line breaks inside strings, so the line is the whole record.
   *
   * @throws JsonProcessingException when a field cannot be written as JSON
   */
  public byte[] toJsonLine() throws JsonProcessingException {
    Map<String, Object> line = new LinkedHashMap<>(fields);
    line.put("time", FLUENTD_TIME.format(time));
    // Through a String: a lone surrogate becomes '?' instead of failing the record.
    return (JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
  }
}
