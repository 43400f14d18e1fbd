package org.odahu.pack.batch;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.odahu.pack.gppi.JsonText;
import org.odahu.pack.gppi.PredictionInput;
import org.odahu.pack.gppi.PythonJsonInput;

/** How ODAHU's handler judged a request's values, for the streaming reader of its files. */
final class OdahuValues {

  private OdahuValues() {}

  /** ODAHU tests {@code if not matrix}: null, false, 0 and "" are "not provided". */
  static boolean isFalsyScalar(JsonParser parser, JsonToken value) throws IOException {
    return switch (value) {
      case VALUE_NULL, VALUE_FALSE -> true;
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getDoubleValue() == 0;
      case VALUE_STRING -> parser.getTextLength() == 0;
      default -> false;
    };
  }

  /** Whether {@code text} is an object without keys ({@code {}} is falsy in Python too). */
  static boolean isEmptyObject(JsonToken value, byte[] text) {
    if (value != JsonToken.START_OBJECT) {
      return false;
    }
    String object = new String(text, StandardCharsets.UTF_8);
    return object.substring(1, object.length() - 1).isBlank();
  }

  /** A {@code data} that is not an array, given to the model whole as one row. */
  static Chunk wholeChunk(JsonText columns, byte[] text) {
    PredictionInput input = PredictionInput.of(columns, JsonText.slice(text, 0, text.length));
    return new Chunk(0, 1, input, text, new int[] {0, text.length});
  }

  /**
   * The {@code columns} value of an ODAHU request file whose {@code data} comes first, as the file
   * has it ({@code null} if there is none); of repeated keys the last counts, as in Python.
   */
  static JsonText columnsOf(Path file) throws IOException {
    long from = -1;
    long to = -1;
    try (JsonParser parser =
        PythonJsonInput.streaming(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        boolean wanted = "columns".equals(parser.currentName());
        parser.nextToken();
        long valueStart = parser.currentTokenLocation().getByteOffset();
        parser.skipChildren();
        parser.finishToken();
        if (wanted) {
          from = valueStart;
          to = parser.currentLocation().getByteOffset();
        }
      }
    }
    if (from < 0) {
      return null;
    }
    try (FileChannel channel = FileChannel.open(file)) {
      byte[] text = FileSlices.read(channel, from, to);
      return JsonText.slice(text, 0, text.length);
    }
  }
}
