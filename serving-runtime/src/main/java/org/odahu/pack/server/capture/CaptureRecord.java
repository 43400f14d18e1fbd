package org.odahu.pack.server.capture;

import java.time.Instant;
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
}
