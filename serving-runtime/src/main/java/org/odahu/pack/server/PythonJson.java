package org.odahu.pack.server;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.odahu.pack.gppi.runtime.PythonFloats;

/**
 * JSON as Python's {@code json.dumps} prints it, for output ODAHU's Python tools printed: one line
 * with {@code ", "} and {@code ": "}, or {@code indent=4}; non-ASCII escaped.
 */
public final class PythonJson {
  private static final ObjectWriter ONE_LINE;
  private static final ObjectWriter INDENTED;

  static {
    JsonMapper mapper =
        JsonMapper.builder()
            .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
            .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE) // Python writes \u00e9
            .build();
    Separators indentedSeparators =
        Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
            .withObjectEmptySeparator("")
            .withArrayEmptySeparator("");
    Separators oneLineSeparators =
        indentedSeparators
            .withObjectEntrySpacing(Separators.Spacing.AFTER)
            .withArrayValueSpacing(Separators.Spacing.AFTER);
    ONE_LINE =
        mapper.writer(
            new DefaultPrettyPrinter(oneLineSeparators)
                .withObjectIndenter(new DefaultPrettyPrinter.NopIndenter())
                .withArrayIndenter(new DefaultPrettyPrinter.NopIndenter()));
    DefaultIndenter indenter = new DefaultIndenter("    ", "\n");
    INDENTED =
        mapper.writer(
            new DefaultPrettyPrinter(indentedSeparators)
                .withObjectIndenter(indenter)
                .withArrayIndenter(indenter));
  }

  private PythonJson() {}

  /**
   * {@code node} with its floating-point numbers written as Python's {@code repr} writes them
   * ({@code 1e-05}, {@code 12345678.9}, {@code 1e+16}, {@code Infinity}), not as Java does ({@code
   * 1.0E-5}, {@code 1.23456789E7}, and a quoted {@code "Infinity"}).
   */
  private static JsonNode withPythonFloats(JsonNode node) {
    if (node.isFloatingPointNumber()) {
      return JsonNodeFactory.instance.rawValueNode(
          new RawValue(PythonFloats.dumps(node.doubleValue())));
    }
    if (node.isArray()) {
      ArrayNode copy = JsonNodeFactory.instance.arrayNode(node.size());
      node.forEach(item -> copy.add(withPythonFloats(item)));
      return copy;
    }
    if (node.isObject()) {
      ObjectNode copy = JsonNodeFactory.instance.objectNode();
      node.properties()
          .forEach(field -> copy.set(field.getKey(), withPythonFloats(field.getValue())));
      return copy;
    }
    return node;
  }

  /** {@code json.dumps(value)}. */
  public static String dumps(Object value) {
    return write(ONE_LINE, value);
  }

  /** {@code json.dumps(value, indent=4)}. */
  public static String indented(Object value) {
    return write(INDENTED, value);
  }

  private static String write(ObjectWriter writer, Object value) {
    try {
      return writer.writeValueAsString(
          value instanceof JsonNode node ? withPythonFloats(node) : value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
