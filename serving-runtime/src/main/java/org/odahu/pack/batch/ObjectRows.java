package org.odahu.pack.batch;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.odahu.pack.gppi.JsonText;
import org.odahu.pack.gppi.PythonJsonInput;
import org.odahu.pack.gppi.RequestJson;

/**
 * Turns JSON Lines objects into rows: the columns are the keys of the file's first row, in its
 * order; each object becomes the array of its values in that order ({@code null} for a missing
 * key), each value's text as the file has it.
 */
final class ObjectRows {

  private final List<String> names;
  private final Map<String, Integer> index = new HashMap<>();
  private final JsonText columns;
  private final int[] slices;

  private ObjectRows(List<String> names) {
    this.names = List.copyOf(names);
    ByteArrayOutputStream json = new ByteArrayOutputStream();
    json.write('[');
    for (int i = 0; i < names.size(); i++) {
      index.put(names.get(i), i);
      if (i > 0) {
        json.write(',');
      }
      json.write('"');
      json.writeBytes(JsonStringEncoder.getInstance().quoteAsUTF8(names.get(i)));
      json.write('"');
    }
    json.write(']');
    byte[] text = json.toByteArray();
    this.columns = JsonText.slice(text, 0, text.length);
    this.slices = new int[2 * names.size()];
  }

  /** A key of a later row that the first row does not have. */
  static final class UnknownKeyException extends Exception {
    private static final long serialVersionUID = 1L;

    UnknownKeyException(String message) {
      super(message);
    }
  }

  /**
   * The columns of {@code file} when its first non-blank line is an object, else {@code null}.
   *
   * @throws InvalidBatchInputException if that line is not a well-formed object
   */
  static ObjectRows fromFirstLine(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return fromFirstLine(new LineReader(in), file);
    } catch (LineReader.TooLongException e) {
      throw new InvalidBatchInputException("The first row of " + file + " is " + e.getMessage());
    }
  }

  private static ObjectRows fromFirstLine(LineReader lines, Path file) throws IOException {
    while (lines.next()) {
      String line =
          new String(
                  lines.bytes(), lines.start(), lines.end() - lines.start(), StandardCharsets.UTF_8)
              .strip();
      if (line.startsWith("\uFEFF")) { // a byte order mark
        line = line.substring(1).strip();
      }
      if (!line.isEmpty()) {
        return line.startsWith("{") ? new ObjectRows(keys(line, file)) : null;
      }
    }
    return null;
  }

  private static List<String> keys(String line, Path file) throws IOException {
    List<String> keys = new ArrayList<>();
    byte[] text = line.getBytes(StandardCharsets.UTF_8);
    try (JsonParser parser = PythonJsonInput.parser(text, 0, text.length)) {
      parser.nextToken();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        if (!keys.contains(parser.currentName())) {
          keys.add(parser.currentName());
        }
        parser.nextToken();
        parser.skipChildren();
      }
    } catch (JsonProcessingException e) {
      throw new InvalidBatchInputException(
          "Row 1 of " + file + ": not well-formed JSON: " + RequestJson.describe(e, false), e);
    }
    return keys;
  }

  /** The column names' JSON: the first row's keys. */
  JsonText columns() {
    return columns;
  }

  /** Adds the object {@code bytes[from .. to)} to {@code chunk} as the array of its values. */
  void add(byte[] bytes, int from, int to, ChunkBuilder chunk)
      throws IOException, UnknownKeyException {
    java.util.Arrays.fill(slices, -1);
    try (JsonParser parser = PythonJsonInput.parser(bytes, from, to - from)) {
      parser.nextToken();
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        Integer column = index.get(parser.currentName());
        if (column == null) {
          throw new UnknownKeyException(
              "its key \"" + parser.currentName() + "\" is not a key of the first row " + names);
        }
        parser.nextToken();
        slices[2 * column] = from + (int) parser.currentTokenLocation().getByteOffset();
        parser.skipChildren();
        parser.finishToken();
        slices[2 * column + 1] = from + (int) parser.currentLocation().getByteOffset();
      }
      if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
        throw new JsonProcessingException("not one JSON object") {
          private static final long serialVersionUID = 1L;
        };
      }
    }
    chunk.beginRow();
    chunk.append((byte) '[');
    for (int i = 0; i < names.size(); i++) {
      if (i > 0) {
        chunk.append((byte) ',');
      }
      if (slices[2 * i] < 0) {
        chunk.append(NULL, 0, NULL.length);
      } else {
        chunk.append(bytes, slices[2 * i], slices[2 * i + 1]);
      }
    }
    chunk.append((byte) ']');
    chunk.endRow(names.size());
  }

  private static final byte[] NULL = {'n', 'u', 'l', 'l'};
}
