package org.odahu.pack.logging;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One JSON object written as one line (JSON escapes line breaks inside strings), field by field;
 * {@code null} values are left out. Shared by the JSON log format and the JSON access log.
 */
public final class JsonLine {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final StringWriter out = new StringWriter(256);
  private final JsonGenerator json;

  /** A line with no fields yet. */
  public JsonLine() {
    try {
      json = FACTORY.createGenerator(out);
      json.writeStartObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code time} as log collectors parse it: ISO 8601, UTC, milliseconds. */
  public static String time(Instant instant) {
    return TIME.format(instant);
  }

  /** Adds a text field, unless {@code value} is {@code null}. */
  public JsonLine field(String name, String value) {
    if (value != null) {
      try {
        json.writeStringField(name, value);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return this;
  }

  /** Adds a number field. */
  public JsonLine field(String name, long value) {
    try {
      json.writeNumberField(name, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** Adds a number field. */
  public JsonLine field(String name, double value) {
    try {
      json.writeNumberField(name, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** Adds {@code model_name} to {@code span_id} of {@code context}, those that are known. */
  public JsonLine context(LogContext context) {
    return field("model_name", context.modelName())
        .field("model_version", context.modelVersion())
        .field("request_id", context.requestId())
        .field("trace_id", context.traceId())
        .field("span_id", context.spanId());
  }

  /** The object, without a line break. */
  public String end() {
    try {
      json.writeEndObject();
      json.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
