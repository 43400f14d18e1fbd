package org.odahu.pack.server;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

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
      return writer.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
